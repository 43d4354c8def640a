package dev.tracewire.benchmarks.kafka;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

/**
 * The consumer the Kafka consume benchmarks measure; tracewire generates {@code TracedBenchHandler}.
 * No group is declared, so the poll loop takes the consumer's own ({@code MockConsumer} reports
 * {@code dummy.group.id}).
 */
@TracedConsumer
public interface BenchHandler {

    @Topic("bench")
    void onRecord(@Header("h") byte[] h, byte[] value);
}
