package dev.tracewire.benchmarks.kafka;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

/**
 * The batch consumer {@code KafkaBatchBenchmark} measures against {@link BenchHandler}: the values
 * of the records of one poll at once; tracewire generates {@code TracedBenchBatchHandler}.
 */
@TracedConsumer
public interface BenchBatchHandler {

    @Topic("bench")
    void onRecords(List<byte[]> values);
}
