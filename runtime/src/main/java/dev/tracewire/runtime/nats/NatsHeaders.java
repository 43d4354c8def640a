package dev.tracewire.runtime.nats;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes NATS message headers for generated code and for context propagation: a write
 * replaces the header's values, a read takes the last value and tolerates messages without headers.
 */
public final class NatsHeaders {

    static final TextMapSetter<Headers> SETTER = NatsHeaders::put;

    static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier == null ? List.of() : Set.copyOf(carrier.keySet());
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.getLast(key);
        }
    };

    private NatsHeaders() {
    }

    /** Sets header {@code name} to {@code value}, replacing it; removes it for a {@code null} value. */
    public static void put(Headers headers, String name, String value) {
        if (value == null) {
            headers.remove(name);
        } else {
            headers.put(name, value);
        }
    }

    /** The last value of header {@code name} of {@code message}, or {@code null} when there is none. */
    public static String last(Message message, String name) {
        return message.hasHeaders() ? message.getHeaders().getLast(name) : null;
    }
}
