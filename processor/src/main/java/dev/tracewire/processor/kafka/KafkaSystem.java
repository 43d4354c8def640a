package dev.tracewire.processor.kafka;

import dev.tracewire.annotations.Topic;
import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.system.MessagingSystem;
import dev.tracewire.processor.system.RoleSupport;
import dev.tracewire.processor.system.SystemTools;
import java.util.EnumSet;
import java.util.Set;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Kafka: {@code @Topic} methods. Records have a key and headers that carry bytes; the user's
 * producer and consumer are typed by the key and value types, and their serializers take any
 * payload type.
 */
public final class KafkaSystem implements MessagingSystem {

    static final String NAME = "Kafka";

    private final RoleSupport<KafkaPublisherShape> publisher;
    private final RoleSupport<KafkaConsumerShape> consumer;

    public KafkaSystem(SystemTools tools) {
        KafkaReturns returns = new KafkaReturns(tools.reporter());
        this.publisher = new RoleSupport<>(returns::publisherShape, new KafkaPublisherGenerator(tools.stamp()));
        this.consumer = new RoleSupport<>(returns::consumerShape, new KafkaConsumerGenerator(tools.stamp()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String destinationAnnotation() {
        return Topic.class.getCanonicalName();
    }

    @Override
    public String destinationNoun() {
        return "topic";
    }

    @Override
    public String exampleDestination() {
        return "orders";
    }

    @Override
    public Set<ParameterKind> parameterKinds() {
        return EnumSet.of(ParameterKind.PAYLOAD, ParameterKind.KEY, ParameterKind.STRING_HEADER,
                ParameterKind.BYTES_HEADER);
    }

    @Override
    public boolean typedClient() {
        return true;
    }

    /** Accepts any type: Kafka payloads go through the user's own serializers. */
    @Override
    public void checkPayload(VariableElement parameter, TypeMirror type, String displayName) {
    }

    @Override
    public RoleSupport<?> support(Role role) {
        return switch (role) {
            case PUBLISHER -> publisher;
            case CONSUMER -> consumer;
        };
    }
}
