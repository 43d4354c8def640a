package dev.tracewire.benchmarks.kafka;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

/**
 * The publisher the end-to-end benchmark sends through; tracewire generates
 * {@code TracedEndToEndEvents}.
 */
@TracedPublisher
public interface EndToEndEvents {

    /** Fire and forget ({@code KafkaSender.sendAndForget}): the benchmark counts arrivals, not acknowledgements. */
    @Topic(EndToEndBenchmark.TOPIC)
    void send(@Key String key, byte[] value);
}
