package dev.tracewire.processor.write;

import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.InterfaceModel;

/**
 * Turns a checked {@link InterfaceModel} into the source of its generated class. Works on the model
 * only: it never sees an {@code Element} and never reports; the caller adds the originating
 * element and writes the file.
 */
public final class SourceGenerator {

    private final KafkaPublisherGenerator kafkaPublisher;
    private final KafkaConsumerGenerator kafkaConsumer;

    /**
     * @param processorName the processor's class name, for {@code @Generated}
     * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
     */
    public SourceGenerator(String processorName, boolean generatedAnnotation) {
        ClassStamp stamp = new ClassStamp(processorName, generatedAnnotation);
        this.kafkaPublisher = new KafkaPublisherGenerator(stamp);
        this.kafkaConsumer = new KafkaConsumerGenerator(stamp);
    }

    /** The generated class's type, without originating elements. */
    public TypeSpec generate(InterfaceModel model) {
        return switch (model.role()) {
            case PUBLISHER -> kafkaPublisher.generate(model);
            case CONSUMER -> kafkaConsumer.generate(model);
        };
    }

    /** The file for {@code type}, formatted the way every generated file is. */
    public static JavaFile file(InterfaceModel model, TypeSpec type) {
        return JavaFile.builder(model.interfaceName().packageName(), type)
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }
}
