package dev.tracewire.benchmarks.processor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * A stand-in for tracewire's processor that does none of its work: for each interface annotated
 * with {@code @TracedPublisher} or {@code @TracedConsumer} it writes, through the {@code Filer},
 * the source tracewire generated for it earlier (read from the folder named by the
 * {@code tracewire.bench.generated} option). What javac then does (a processing round per batch
 * of new sources, entering and compiling them) is what any generating processor costs; the
 * difference to the real processor is tracewire's own reading, checking and writing.
 */
public final class CopyingProcessor extends AbstractProcessor {

    static final String GENERATED_OPTION = "tracewire.bench.generated";

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("dev.tracewire.annotations.TracedPublisher", "dev.tracewire.annotations.TracedConsumer",
                "javax.annotation.processing.Generated");
    }

    @Override
    public Set<String> getSupportedOptions() {
        return Set.of(GENERATED_OPTION);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Path folder = Path.of(processingEnv.getOptions().get(GENERATED_OPTION));
        for (TypeElement annotation : annotations) {
            if (annotation.getQualifiedName().contentEquals("javax.annotation.processing.Generated")) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                TypeElement type = (TypeElement) element;
                String pkg = processingEnv.getElementUtils().getPackageOf(type).getQualifiedName().toString();
                String name = "Traced" + type.getSimpleName();
                try {
                    String source = Files.readString(folder.resolve(pkg.replace('.', '/')).resolve(name + ".java"),
                            StandardCharsets.UTF_8);
                    JavaFileObject file = processingEnv.getFiler().createSourceFile(pkg + "." + name, type);
                    try (Writer out = file.openWriter()) {
                        out.write(source);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return true;
    }
}
