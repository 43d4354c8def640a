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

    /**
     * Sets header {@code name} to {@code value}, replacing it; removes it for a {@code null} value. A
     * value jnats refuses (anything but printable ASCII and tab) in headers a sender made fails the
     * send later, inside its span; elsewhere it is thrown at once.
     */
    public static void put(Headers headers, String name, String value) {
        if (value == null) {
            headers.remove(name);
            return;
        }
        try {
            headers.put(name, value);
        } catch (IllegalArgumentException e) {
            if (!(headers instanceof OutgoingHeaders outgoing)) {
                throw e;
            }
            outgoing.refuse(new IllegalArgumentException("header " + name + " cannot be sent on NATS: "
                    + e.getMessage() + " (jnats takes printable ASCII and tab only)", e));
        }
    }

    /** The last value of header {@code name} of {@code message}, or {@code null} when there is none. */
    public static String last(Message message, String name) {
        return message.hasHeaders() ? message.getHeaders().getLast(name) : null;
    }
}
