package dev.tracewire.benchmarks.kafka;

import dev.tracewire.benchmarks.Otel;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Table 2b: a poll of {@code batch} records through {@code MockConsumer}, each record handled, then
 * one offset commit, by a loop on its own thread:
 * <ul>
 *   <li>{@code plain}: a hand-written loop over the untraced consumer (the baseline);
 *   <li>{@code kafkaTelemetry}: the same loop over {@code KafkaTelemetry.create(sdk).wrap(consumer)}
 *       (a receive span per poll, a process span per record as the records are iterated);
 *   <li>{@code generated} / {@code generatedNoop}: the generated consumer's own poll loop
 *       ({@code TracedBenchHandler.start(consumer)}) with the SDK / with {@code OpenTelemetry.noop()}.
 * </ul>
 * One operation: the benchmark thread adds {@code batch} records (100-byte value, header {@code h}
 * and a sampled {@code traceparent}), releases the poll, and spins until the loop has committed.
 * The hand-off between the two threads costs every variant the same; overhead = variant minus
 * {@code plain} at the same batch size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class KafkaPollBenchmark {

    static final String TOPIC = "bench";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Param({"plain", "kafkaTelemetry", "generated", "generatedNoop"})
    public String loop;

    @Param({"1", "16"})
    public int batch;

    private final KafkaDispatchBenchmark.Sink sink = new KafkaDispatchBenchmark.Sink();
    private final byte[] value = new byte[100];
    private final Headers headers = KafkaDispatchBenchmark.headers();
    private HandOffConsumer consumer;
    private Otel.Sdk sdk;
    private AutoCloseable running;
    private long nextOffset;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        consumer = new HandOffConsumer();
        sdk = Otel.sampleAll();
        java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler = record -> {
            org.apache.kafka.common.header.Header h = record.headers().lastHeader("h");
            sink.onRecord(h == null ? null : h.value(), record.value());
        };
        switch (loop) {
            case "plain" -> running = new PlainLoop(consumer, handler);
            case "kafkaTelemetry" -> running = new PlainLoop(
                    KafkaTelemetry.create(sdk.openTelemetry).wrap(consumer), handler);
            case "generated" -> running = start(sdk.openTelemetry);
            case "generatedNoop" -> running = start(OpenTelemetry.noop());
            default -> throw new IllegalArgumentException(loop);
        }
        long deadline = System.nanoTime() + STUCK_NANOS;
        while (consumer.subscription().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the " + loop + " loop never subscribed");
            }
            Thread.sleep(1);
        }
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    private Subscription start(OpenTelemetry openTelemetry) {
        return new TracedBenchHandler(sink, TracewireOptions.builder().openTelemetry(openTelemetry).build())
                .start(consumer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running.close();
        System.out.println("spans exported: " + sdk.exporter.spans() + " for " + nextOffset + " records");
        sdk.close();
    }

    @Benchmark
    public long poll() {
        long target = consumer.commits() + 1;
        for (int i = 0; i < batch; i++) {
            consumer.addRecord(KafkaDispatchBenchmark.record(nextOffset++, headers, value));
        }
        consumer.release();
        int spins = 0;
        long since = 0;
        while (consumer.commits() < target) {
            Thread.onSpinWait();
            if (++spins == 1 << 20) {
                spins = 0;
                long now = System.nanoTime();
                if (since == 0) {
                    since = now;
                } else if (now - since > STUCK_NANOS) {
                    throw new IllegalStateException("the " + loop + " loop handled nothing for 10 s");
                }
            }
        }
        return target;
    }
}
