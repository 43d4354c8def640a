package dev.tracewire.benchmarks.kafka;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

/**
 * The consumer the end-to-end benchmark receives through; tracewire generates
 * {@code TracedEndToEndHandler}, whose poll loop ({@code start(consumer)}) the benchmark runs.
 */
@TracedConsumer(group = EndToEndBenchmark.GROUP)
public interface EndToEndHandler {

    @Topic(EndToEndBenchmark.TOPIC)
    void onMessage(@Key String key, byte[] value);
}
