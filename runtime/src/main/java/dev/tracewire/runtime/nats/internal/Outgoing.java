package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.PayloadCarrier;
import dev.tracewire.runtime.internal.Instruments;
import dev.tracewire.runtime.internal.SendOperation;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Map;

/**
 * One NATS message on its way out: its headers and body, the span it goes out in, and the caller's
 * context. Built per message by {@link #prepare}.
 */
final class Outgoing {

    private static final byte[] EMPTY = new byte[0];

    private Headers headers;
    private byte[] body;
    /** What makes this message unsendable, thrown inside its span by {@link #headers()}; or {@code null}. */
    private RuntimeException refused;
    private Span span = Span.getInvalid();
    private long startNanos;
    private final Context parent;

    private Outgoing(Headers headers, byte[] body, Context parent) {
        this.headers = headers;
        this.body = body;
        this.parent = parent;
    }

    /**
     * Encodes the payload (a failure, or a header value refused, is kept for {@link #headers()} to
     * throw inside the send), starts the send's span as a child of the current context and injects its
     * context into the headers (and, when {@code embedIn} is not {@code null}, into a JSON payload in
     * its shape); the span is the caller's to end through {@code operation}. {@code attributes} are
     * the span attributes of the method's parameters, or {@code null}.
     */
    static <T> Outgoing prepare(SendOperation<Outgoing, ?> operation, Codec<T> codec, Headers headers, T payload,
            PayloadCarrier embedIn, Attributes attributes) {
        Outgoing outgoing = new Outgoing(headers, EMPTY, Context.current());
        if (headers instanceof OutgoingHeaders outgoingHeaders) {
            outgoing.refused = outgoingHeaders.refused();
        }
        if (codec != null && outgoing.refused == null) {
            try {
                outgoing.body = codec.encode(payload);
            } catch (RuntimeException e) { // the user's codec: the send fails, in its span
                outgoing.refused = e;
            }
        }
        Instruments instruments = operation.instruments();
        outgoing.startNanos = operation.clock(instruments);
        outgoing.span = operation.start(instruments, outgoing.parent, outgoing, null, attributes);
        if (embedIn != null && outgoing.refused == null) {
            Map<String, String> context = operation.carriedFields(outgoing.parent, outgoing.span);
            if (!context.isEmpty()) {
                outgoing.body = embedIn.embed(outgoing.body, context);
            }
        }
        return outgoing;
    }

    /** A dead letter on its way out: headers and body as they are, sent as a child of {@code parent}. */
    static Outgoing forDeadLetter(Headers headers, byte[] body, Context parent) {
        return new Outgoing(headers, body, parent);
    }

    /** Starts this message's span, linked to {@code link}, and injects its context into the headers. */
    void start(SendOperation<Outgoing, ?> operation, SpanContext link) {
        Instruments instruments = operation.instruments();
        startNanos = operation.clock(instruments);
        span = operation.start(instruments, parent, this, link, null);
    }

    /** The last value of header {@code name}, or {@code null}. */
    String header(String name) {
        return headers == null ? null : headers.getLast(name);
    }

    /** When the send started, for its duration. */
    long startNanos() {
        return startNanos;
    }

    /** Sets a propagation header, replacing its value; creates the headers on the first one. */
    void setHeader(String name, String value) {
        if (headers == null) {
            headers = new Headers();
        }
        headers.put(name, value);
    }

    /**
     * The headers to send, {@code null} when there are none. Called inside the send's {@code try}, it
     * throws what made the message unsendable (a header value jnats refused, a payload the codec could
     * not encode), so that the failure is recorded on the span and reaches the caller as the method's
     * return type promises (thrown, or a failed future).
     */
    Headers headers() {
        if (refused != null) {
            throw refused;
        }
        return headers == null || headers.isEmpty() ? null : headers;
    }

    byte[] body() {
        return body;
    }

    Span span() {
        return span;
    }

    Context parent() {
        return parent;
    }
}
