package dev.tracewire.processor.nats;

import com.squareup.javapoet.TypeName;
import java.util.Optional;

/**
 * What a NATS publisher method does, as its return type and stream decide.
 *
 * @param kind how it publishes and what it returns
 * @param replyType for a request, the class its reply is decoded to (boxed); empty for the others
 */
record NatsPublisherShape(Kind kind, Optional<TypeName> replyType) {

    enum Kind {
        /** Core publish, returning nothing. */
        VOID,
        /** To JetStream, blocking for the acknowledgement, returning nothing. */
        STREAM_VOID,
        /** To JetStream, returning the {@code PublishAck}. */
        STREAM_ACK,
        /** To JetStream, returning a future of the {@code PublishAck}. */
        STREAM_ACK_FUTURE,
        /** A request, returning the decoded reply. */
        REQUEST,
        /** A request, returning a future of the decoded reply. */
        REQUEST_FUTURE;

        boolean isRequest() {
            return this == REQUEST || this == REQUEST_FUTURE;
        }
    }

    NatsPublisherShape {
        if (replyType.isPresent() != kind.isRequest()) {
            throw new IllegalArgumentException(kind + " with reply type " + replyType);
        }
    }

    static NatsPublisherShape publish(Kind kind) {
        return new NatsPublisherShape(kind, Optional.empty());
    }

    static NatsPublisherShape request(Kind kind, TypeName replyType) {
        return new NatsPublisherShape(kind, Optional.of(replyType));
    }
}
