package dev.tracewire.runtime.kafka.internal;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Calls one batch method of the user's consumer with the records of one poll for its topic.
 * Generated code supplies one per batch method, built once when the dispatcher is constructed.
 *
 * @param <K> the consumer's key type
 * @param <V> the consumer's value type
 */
@FunctionalInterface
public interface BatchHandler<K, V> {

    void handle(List<ConsumerRecord<K, V>> records) throws Exception;
}
