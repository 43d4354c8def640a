package dev.tracewire.runtime.nats.internal;

import io.nats.client.Message;

/**
 * Calls one method of the user's NATS consumer with a decoded payload and the message (for header
 * parameters). Generated code supplies one per method, built once.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface MessageHandler<T> {

    void handle(T payload, Message message) throws Exception;
}
