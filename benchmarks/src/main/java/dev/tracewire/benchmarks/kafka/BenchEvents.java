package dev.tracewire.benchmarks.kafka;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The publisher the Kafka publish benchmark measures; tracewire generates {@code TracedBenchEvents}. */
@TracedPublisher
public interface BenchEvents {

    /** Fire and forget: the generated code sends with {@code KafkaSender.sendAndForget}. */
    @Topic("bench")
    void send(@Header("h") byte[] h, byte[] value);

    /** The same with the acknowledgement as a future ({@code KafkaSender.send}). */
    @Topic("bench")
    CompletableFuture<RecordMetadata> sendAsync(@Header("h") byte[] h, byte[] value);
}
