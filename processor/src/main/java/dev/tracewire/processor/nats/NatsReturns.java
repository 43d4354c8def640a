package dev.tracewire.processor.nats;

import com.squareup.javapoet.TypeName;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.nats.NatsPublisherShape.Kind;
import dev.tracewire.processor.read.Annotations;
import dev.tracewire.processor.read.CommonType;
import dev.tracewire.processor.read.Mirrors;
import dev.tracewire.processor.system.MethodSite;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.lang.model.element.Element;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * What a NATS method's return type means: core publish, JetStream publish (with or without waiting
 * for the acknowledgement), a request and its reply type, a handler or a responder; and whether a
 * payload or reply type is one a codec can be chosen for by class.
 */
final class NatsReturns {

    private static final String PUBLISH_ACK = "io.nats.client.api.PublishAck";
    private static final String COMPLETABLE_FUTURE = CompletableFuture.class.getCanonicalName();

    private final Reporter reporter;
    private final Annotations annotations;
    private final CommonType commonType;

    NatsReturns(Reporter reporter, Annotations annotations, CommonType commonType) {
        this.reporter = reporter;
        this.annotations = annotations;
        this.commonType = commonType;
    }

    Optional<NatsPublisherShape> publisherShape(MethodSite method) {
        TypeMirror returnType = method.returnType();
        if (returnType.getKind() == TypeKind.VOID) {
            return Optional.of(NatsPublisherShape.publish(stream(method).isEmpty() ? Kind.VOID : Kind.STREAM_VOID));
        }
        if (Mirrors.isNamed(returnType, PUBLISH_ACK)) {
            return Optional.of(NatsPublisherShape.publish(Kind.STREAM_ACK));
        }
        if (Mirrors.isNamed(returnType, COMPLETABLE_FUTURE)) {
            TypeMirror argument = ((DeclaredType) returnType).getTypeArguments().get(0);
            if (Mirrors.isNamed(argument, PUBLISH_ACK)) {
                return Optional.of(NatsPublisherShape.publish(Kind.STREAM_ACK_FUTURE));
            }
            return reply(method, argument).map(reply -> NatsPublisherShape.request(Kind.REQUEST_FUTURE, reply));
        }
        return reply(method, returnType).map(reply -> NatsPublisherShape.request(Kind.REQUEST, reply));
    }

    Optional<NatsConsumerShape> consumerShape(MethodSite method) {
        Optional<String> stream = stream(method);
        if (method.batch() && stream.isEmpty()) {
            String subject = method.destination().map(d -> annotations.value(d, "value").string()).orElse("");
            if (method.destination().isPresent()) {
                reporter.error(Message.BATCH_CORE_NATS, method.element(), method.destination().get(),
                        method.displayName(), subject, subject);
            } else {
                reporter.error(Message.BATCH_CORE_NATS, method.element(), method.displayName(), subject, subject);
            }
            return Optional.empty();
        }
        if (method.returnType().getKind() == TypeKind.VOID) {
            return Optional.of(new NatsConsumerShape(stream, Optional.empty()));
        }
        if (stream.isPresent()) {
            reporter.error(Message.CONSUMER_RETURN_TYPE, method.element(), method.displayName(), method.returnType(),
                    "JetStream", "return void, or leave the stream out to make it a core NATS responder");
            return Optional.empty();
        }
        return reply(method, method.returnType()).map(reply -> new NatsConsumerShape(stream, Optional.of(reply)));
    }

    /**
     * Whether a codec can be chosen for {@code type} by its class; reports it, pinned to
     * {@code element}, when not.
     *
     * @param what what has the type, as in {@code payload order} or {@code the reply}
     */
    boolean isCodecClass(Element element, TypeMirror type, String what, String displayName) {
        boolean plainClass = type.getKind().isPrimitive()
                || (type instanceof DeclaredType declared && declared.getTypeArguments().isEmpty())
                || Mirrors.isByteArray(type);
        if (!plainClass) {
            reporter.error(Message.NATS_PAYLOAD_TYPE, element, what, displayName, type);
        }
        return plainClass;
    }

    /** The boxed class of a reply of {@code type}; empty when reported. */
    private Optional<TypeName> reply(MethodSite method, TypeMirror type) {
        return isCodecClass(method.element(), type, "the reply", method.displayName())
                ? Optional.of(TypeName.get(commonType.boxed(type)))
                : Optional.empty();
    }

    private Optional<String> stream(MethodSite method) {
        return method.destination()
                .map(subject -> annotations.value(subject, "stream").string().strip())
                .filter(stream -> !stream.isEmpty());
    }
}
