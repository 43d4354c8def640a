package dev.tracewire.processor.write;

import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.model.MessagingSystem;

/**
 * Turns a checked {@link InterfaceModel} into the source of its generated class. Works on the model
 * only: it never sees an {@code Element} and never reports; the caller adds the originating
 * element and writes the file.
 */
public final class SourceGenerator {

    private final KafkaPublisherGenerator kafkaPublisher;
    private final KafkaConsumerGenerator kafkaConsumer;
    private final NatsPublisherGenerator natsPublisher;
    private final NatsConsumerGenerator natsConsumer;

    /**
     * @param processorName the processor's class name, for {@code @Generated}
     * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
     */
    public SourceGenerator(String processorName, boolean generatedAnnotation) {
        ClassStamp stamp = new ClassStamp(processorName, generatedAnnotation);
        this.kafkaPublisher = new KafkaPublisherGenerator(stamp);
        this.kafkaConsumer = new KafkaConsumerGenerator(stamp);
        this.natsPublisher = new NatsPublisherGenerator(stamp);
        this.natsConsumer = new NatsConsumerGenerator(stamp);
    }

    /** The generated class's type, without originating elements. */
    public TypeSpec generate(InterfaceModel model) {
        boolean kafka = model.system() == MessagingSystem.KAFKA;
        return switch (model.role()) {
            case PUBLISHER -> kafka ? kafkaPublisher.generate(model) : natsPublisher.generate(model);
            case CONSUMER -> kafka ? kafkaConsumer.generate(model) : natsConsumer.generate(model);
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
