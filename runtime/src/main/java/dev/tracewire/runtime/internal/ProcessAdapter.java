package dev.tracewire.runtime.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * What one messaging system tells the process lifecycle about a received message: how to read its
 * propagation headers (as a {@link TextMapGetter} that tolerates absent headers and {@code null}
 * values), and the attributes that differ per message. One instance serves every message of a
 * consumer.
 *
 * @param <M> the received message
 */
public interface ProcessAdapter<M> extends TextMapGetter<M> {

    /** Adds the attributes of this message (partition, offset, key, sequence...) to its span before it starts. */
    void addStartAttributes(SpanBuilder span, M message);

    /**
     * The attributes of the link from a batch's process span to this message's context: where the
     * message is (partition and offset, stream and sequence).
     */
    default Attributes linkAttributes(M message) {
        return Attributes.empty();
    }
}
