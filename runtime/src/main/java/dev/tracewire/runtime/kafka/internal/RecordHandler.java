package dev.tracewire.runtime.kafka.internal;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Calls one method of the user's consumer with the parts of a record. Generated code supplies one
 * per method, built once when the dispatcher is constructed.
 *
 * @param <K> the consumer's key type
 * @param <V> the consumer's value type
 */
@FunctionalInterface
public interface RecordHandler<K, V> {

    void handle(ConsumerRecord<K, V> record) throws Exception;
}
