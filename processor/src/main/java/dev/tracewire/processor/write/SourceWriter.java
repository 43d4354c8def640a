package dev.tracewire.processor.write;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.TypeSpec;
import java.io.IOException;
import java.io.Writer;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.JavaFileObject;

/**
 * Writes generated classes through the {@link Filer}, each in its interface's package and
 * formatted the way every generated file is.
 */
public final class SourceWriter {

    private final Filer filer;

    public SourceWriter(Filer filer) {
        this.filer = filer;
    }

    private static JavaFile file(ClassName interfaceName, TypeSpec type) {
        return JavaFile.builder(interfaceName.packageName(), type)
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /**
     * Writes {@code type}, generated for {@code interfaceName}, as {@link JavaFile#writeTo(Filer)}
     * does, but renders it into a string first: JavaPoet emits a file in many small appends, and
     * each one made on the filer's writer goes through javac's locking and encoding.
     */
    public void write(ClassName interfaceName, TypeSpec type) throws IOException {
        JavaFile file = file(interfaceName, type);
        String source = file.toString();
        String name = file.packageName.isEmpty() ? type.name : file.packageName + "." + type.name;
        JavaFileObject target = filer.createSourceFile(name, type.originatingElements.toArray(new Element[0]));
        try (Writer writer = target.openWriter()) {
            writer.write(source);
        } catch (IOException | RuntimeException e) {
            target.delete();
            throw e;
        }
    }
}
