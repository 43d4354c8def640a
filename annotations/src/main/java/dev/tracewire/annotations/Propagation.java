package dev.tracewire.annotations;

/**
 * What a generated method does with the trace context, for {@code propagation} on
 * {@link TracedPublisher} and {@link TracedConsumer} (every method of the interface) and on
 * {@link Topic} and {@link Subject} (one method; written there, it wins over the interface's).
 */
public enum Propagation {

    /**
     * The default: a publisher method sends each message inside a PRODUCER span and carries that
     * span's context in the message headers (and payload, where the options embed it); a consumer
     * method handles each message inside a CONSUMER span that continues the context the message
     * carries.
     */
    PROPAGATE,

    /**
     * Continuity without spans, for a hot path: a publisher method starts no span and carries the
     * caller's context as it is; a consumer method starts no span and runs the handler with the
     * context the message carries as the current one, so what it sends continues the sender's
     * trace. Messaging metrics are still measured. A method with {@code @SpanAttribute} parameters
     * (there is no span to record them on), and a batch method (a batch has no one context), cannot
     * be {@code HEADERS_ONLY}: a compile error says so.
     */
    HEADERS_ONLY,

    /**
     * No context crosses the hop, for consumers that break on headers they do not know: a publisher
     * method still makes its PRODUCER span but writes no propagation headers (and embeds nothing in
     * payloads); a consumer method does not read the context a message carries, so each message's
     * CONSUMER span starts a new trace, and the propagation-health counter does not count it; a
     * responder's reply carries no context either.
     */
    NONE
}
