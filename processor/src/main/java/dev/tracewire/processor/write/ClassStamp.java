package dev.tracewire.processor.write;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.InterfaceModel;
import javax.lang.model.element.Modifier;

/**
 * What every generated class starts with: its name, {@code final}, the interface's visibility,
 * and {@code @Generated} naming the processor, with no date, so builds are reproducible.
 */
final class ClassStamp {

    private final String processorName;
    private final boolean generatedAnnotation;

    /**
     * @param processorName the processor's class name, for {@code @Generated}
     * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
     */
    ClassStamp(String processorName, boolean generatedAnnotation) {
        this.processorName = processorName;
        this.generatedAnnotation = generatedAnnotation;
    }

    TypeSpec.Builder classFor(InterfaceModel model) {
        ClassName name = GeneratedNames.generatedClass(model.interfaceName());
        TypeSpec.Builder builder = TypeSpec.classBuilder(name);
        if (generatedAnnotation) {
            builder.addAnnotation(AnnotationSpec.builder(RuntimeTypes.GENERATED)
                    .addMember("value", "$S", processorName)
                    .build());
        }
        if (model.isPublic()) {
            builder.addModifiers(Modifier.PUBLIC);
        }
        return builder.addModifiers(Modifier.FINAL);
    }
}
