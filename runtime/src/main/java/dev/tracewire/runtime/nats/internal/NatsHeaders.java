package dev.tracewire.runtime.nats.internal;

import io.nats.client.Message;
import io.nats.client.impl.Headers;

/**
 * Reads and writes NATS message headers for generated code: a write replaces the header's values,
 * a read takes the last value and tolerates messages without headers.
 */
public final class NatsHeaders {

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
