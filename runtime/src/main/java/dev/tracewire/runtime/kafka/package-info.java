/**
 * Kafka settings users give: {@link dev.tracewire.runtime.kafka.KafkaOptions}. What generated Kafka
 * clients call lives in {@code .internal}.
 */
package dev.tracewire.runtime.kafka;
