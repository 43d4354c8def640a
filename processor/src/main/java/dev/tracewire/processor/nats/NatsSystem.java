package dev.tracewire.processor.nats;

import dev.tracewire.annotations.Subject;
import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.read.Annotations;
import dev.tracewire.processor.read.CommonType;
import dev.tracewire.processor.system.MessagingSystem;
import dev.tracewire.processor.system.RoleSupport;
import dev.tracewire.processor.system.SystemTools;
import java.util.EnumSet;
import java.util.Set;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * NATS: {@code @Subject} methods, on core NATS or JetStream. Messages have no key and text
 * headers; payloads and replies go through a codec chosen by class, and the connection is not
 * typed by them.
 */
public final class NatsSystem implements MessagingSystem {

    private final NatsReturns returns;
    private final RoleSupport<NatsPublisherShape> publisher;
    private final RoleSupport<NatsConsumerShape> consumer;

    public NatsSystem(SystemTools tools) {
        this.returns = new NatsReturns(tools.reporter(), new Annotations(tools.elements()),
                new CommonType(tools.elements(), tools.types()));
        this.publisher = new RoleSupport<>(returns::publisherShape, new NatsPublisherGenerator(tools.stamp()));
        this.consumer = new RoleSupport<>(returns::consumerShape, new NatsConsumerGenerator(tools.stamp()));
    }

    @Override
    public String name() {
        return "NATS";
    }

    @Override
    public String destinationAnnotation() {
        return Subject.class.getCanonicalName();
    }

    @Override
    public String destinationNoun() {
        return "subject";
    }

    @Override
    public String exampleDestination() {
        return "orders.placed";
    }

    @Override
    public Set<ParameterKind> parameterKinds() {
        return EnumSet.of(ParameterKind.PAYLOAD, ParameterKind.STRING_HEADER);
    }

    @Override
    public boolean typedClient() {
        return false;
    }

    @Override
    public void checkPayload(VariableElement parameter, TypeMirror type, String displayName) {
        returns.isCodecClass(parameter, type, "payload " + parameter.getSimpleName(), displayName);
    }

    @Override
    public RoleSupport<?> support(Role role) {
        return switch (role) {
            case PUBLISHER -> publisher;
            case CONSUMER -> consumer;
        };
    }
}
