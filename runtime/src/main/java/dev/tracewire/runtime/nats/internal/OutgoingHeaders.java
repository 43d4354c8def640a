package dev.tracewire.runtime.nats.internal;

import io.nats.client.impl.Headers;

/**
 * The headers a sender hands to generated code for a message's {@code @Header} values. A value jnats
 * refuses is kept here instead of thrown from generated code before the send's span starts; the send
 * then fails with it inside its span ({@link Outgoing#headers()}).
 */
final class OutgoingHeaders extends Headers {

    private IllegalArgumentException refused;

    void refuse(IllegalArgumentException failure) {
        if (refused == null) {
            refused = failure;
        }
    }

    /** The first value refused, or {@code null}. */
    IllegalArgumentException refused() {
        return refused;
    }
}
