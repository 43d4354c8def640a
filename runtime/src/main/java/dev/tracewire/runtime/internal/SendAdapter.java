package dev.tracewire.runtime.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * What one messaging system tells the send lifecycle about its messages: how to write a
 * propagation header into one (as a {@link TextMapSetter}, replacing any value of that name), the
 * attributes that differ per message, and those its acknowledgement carries. One stateless (or
 * per-client) instance serves every message.
 *
 * @param <M> the outgoing message, or the part of it that carries its headers
 * @param <A> what the broker acknowledges a message with
 */
public interface SendAdapter<M, A> extends TextMapSetter<M> {

    /** Adds the attributes of this message to its span before it starts, so samplers see them. */
    void addStartAttributes(SpanBuilder span, M message);

    /** Adds what the acknowledgement says (partition and offset, stream and sequence) to the recording span. */
    void addAckAttributes(Span span, A ack);

    /** The last value of a header the message carries, or {@code null}; for headers captured as attributes. */
    String header(M message, String name);
}
