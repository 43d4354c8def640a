package dev.tracewire.runtime.nats.internal;

import io.nats.client.Message;
import java.util.List;

/**
 * Calls one batch method of the user's NATS consumer with the decoded payloads of a fetched batch
 * (and the messages, in the same order). Generated code supplies one per batch method, built once.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface BatchMessageHandler<T> {

    void handle(List<T> payloads, List<Message> messages) throws Exception;
}
