package dev.tracewire.runtime.nats.internal;

import io.nats.client.Message;

/**
 * Calls one responder method of the user's NATS consumer; what it returns is the reply. Generated
 * code supplies one per responder method, built once.
 *
 * @param <T> the request payload type
 * @param <R> the reply type
 */
@FunctionalInterface
public interface Responder<T, R> {

    R respond(T payload, Message message) throws Exception;
}
