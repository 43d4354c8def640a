package dev.tracewire.processor.nats;

import com.squareup.javapoet.TypeName;
import java.util.Optional;

/**
 * What a NATS consumer method is: a core handler, a handler of a durable JetStream consumer (with
 * a stream), or a core responder (with a reply).
 *
 * @param stream the JetStream stream it reads from; empty on core NATS
 * @param replyType for a responder, the class of the value published to the reply subject (boxed);
 *     empty for a handler
 */
record NatsConsumerShape(Optional<String> stream, Optional<TypeName> replyType) {

    NatsConsumerShape {
        if (stream.isPresent() && replyType.isPresent()) {
            throw new IllegalArgumentException("a JetStream consumer cannot reply: " + stream + ", " + replyType);
        }
    }
}
