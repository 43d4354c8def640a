package dev.tracewire.benchmarks.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A hand-written poll loop on its own thread that does what the generated loop does (per partition,
 * each record's handler, its offset noted; then one asynchronous commit), for an untraced consumer,
 * one wrapped by {@code KafkaTelemetry}, or a handler that traces by hand (the end-to-end floor).
 *
 * @param <K> the consumer's key type
 * @param <V> the consumer's value type
 */
final class PlainLoop<K, V> implements AutoCloseable {

    private final org.apache.kafka.clients.consumer.Consumer<K, V> consumer;
    private final String topic;
    private final Consumer<ConsumerRecord<K, V>> handler;
    private final Thread thread;
    private volatile boolean closing;

    PlainLoop(org.apache.kafka.clients.consumer.Consumer<K, V> consumer, String topic,
            Consumer<ConsumerRecord<K, V>> handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.handler = handler;
        this.thread = new Thread(this::run, "plain-poll-loop");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        consumer.subscribe(List.of(topic));
        Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
        while (!closing) {
            ConsumerRecords<K, V> records;
            try {
                records = consumer.poll(Duration.ofMillis(100));
            } catch (WakeupException e) {
                continue;
            }
            for (TopicPartition partition : records.partitions()) {
                for (ConsumerRecord<K, V> record : records.records(partition)) {
                    handler.accept(record);
                    uncommitted.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
            }
            if (!uncommitted.isEmpty()) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
                uncommitted.clear();
                consumer.commitAsync(offsets, (committed, error) -> {
                });
            }
        }
        consumer.close();
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
