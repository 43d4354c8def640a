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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Table 2b: polls of {@code batch} records each through {@code MockConsumer}, every record handled
 * and each poll's offsets committed, by a loop on its own thread:
 * <ul>
 *   <li>{@code plain}: a hand-written loop over the untraced consumer (the baseline);
 *   <li>{@code kafkaTelemetry}: the same loop over {@code KafkaTelemetry.create(sdk).wrap(consumer)}
 *       (with its defaults: a process span per record as the records are iterated, no receive span);
 *   <li>{@code generated} / {@code generatedNoop}: the generated consumer's own poll loop
 *       ({@code TracedBenchHandler.start(consumer)}) with the SDK / with {@code OpenTelemetry.noop()}.
 * </ul>
 * Each invocation queues {@value #POLLS} polls' worth of records (100-byte value, header {@code h},
 * a sampled {@code traceparent}) before the clock starts ({@code max.poll.records} = batch), lets
 * the loop run through them back to back and waits for its last commit; the score is per poll.
 * The two thread hand-offs per invocation (about 50 us on this machine) are spread over the
 * {@value #POLLS} polls and cost every variant the same. The records made at set-up count in B/op
 * (about 100 B each) for every variant alike. Overhead = variant minus {@code plain} at the same
 * batch size.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@OperationsPerInvocation(KafkaPollBenchmark.POLLS)
public class KafkaPollBenchmark {

    static final String TOPIC = "bench";
    static final int POLLS = 512;
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);

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
    private long target;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        consumer = new HandOffConsumer();
        consumer.setMaxPollRecords(batch);
        sdk = Otel.sampleAll();
        java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler = record -> {
            org.apache.kafka.common.header.Header h = record.headers().lastHeader("h");
            sink.onRecord(h == null ? null : h.value(), record.value());
        };
        switch (loop) {
            case "plain" -> running = new PlainLoop<>(consumer, TOPIC, handler);
            case "kafkaTelemetry" -> running = new PlainLoop<>(
                    KafkaTelemetry.create(sdk.openTelemetry).wrap(consumer), TOPIC, handler);
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
        // Without log correlation, as before Logback was on this class path (SLF4J's no-op MDC then).
        return new TracedBenchHandler(sink, TracewireOptions.builder().openTelemetry(openTelemetry)
                .logCorrelation(false).build()).start(consumer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        running.close();
        System.out.println("spans exported: " + sdk.exporter.spans() + " for " + nextOffset + " records");
        sdk.close();
    }

    /** Queues the records of the next {@value #POLLS} polls; not timed. */
    @Setup(Level.Invocation)
    public void queue() {
        for (int i = 0; i < POLLS * batch; i++) {
            consumer.addRecord(KafkaDispatchBenchmark.record(nextOffset++, headers, value));
        }
        target = nextOffset;
    }

    @Benchmark
    public long polls() {
        consumer.release(target);
        consumer.awaitCommitted(target, STUCK_NANOS);
        return target;
    }
}
