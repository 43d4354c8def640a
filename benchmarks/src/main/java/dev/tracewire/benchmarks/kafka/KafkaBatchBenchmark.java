package dev.tracewire.benchmarks.kafka;

import dev.tracewire.benchmarks.Otel;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.OpenTelemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * Table 2c: the per-record cost of a batch method against single dispatches, through the generated
 * poll loop on {@code MockConsumer} (as table 2b), polls of {@value #BATCH} records each (100-byte
 * value, header {@code h}, a sampled {@code traceparent}), committed after each poll:
 * <ul>
 *   <li>{@code single}: {@code TracedBenchHandler}, {@value #BATCH} process spans per poll, one per
 *       record, each the child of the record's context;
 *   <li>{@code batch}: {@code TracedBenchBatchHandler}, one process span per poll with
 *       {@value #BATCH} links, one per record's context, and one call of the method with the values.
 * </ul>
 * With the SDK sampling everything ({@code tracing=sdk}) and with {@code OpenTelemetry.noop()}
 * ({@code tracing=noop}). The score is per record: each invocation runs {@value #POLLS} polls.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@OperationsPerInvocation(KafkaBatchBenchmark.POLLS * KafkaBatchBenchmark.BATCH)
public class KafkaBatchBenchmark {

    static final int POLLS = 256;
    static final int BATCH = 16;
    private static final TopicPartition PARTITION = new TopicPartition(KafkaPollBenchmark.TOPIC, 0);
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Param({"single", "batch"})
    public String handler;

    @Param({"sdk", "noop"})
    public String tracing;

    private final KafkaDispatchBenchmark.Sink sink = new KafkaDispatchBenchmark.Sink();
    /** What the batch method keeps of each call, so nothing is optimised away. */
    public volatile List<byte[]> lastBatch;
    private final byte[] value = new byte[100];
    private final Headers headers = KafkaDispatchBenchmark.headers();
    private HandOffConsumer consumer;
    private Otel.Sdk sdk;
    private Subscription running;
    private long nextOffset;
    private long target;

    @Setup(Level.Trial)
    public void setUp() throws InterruptedException {
        consumer = new HandOffConsumer();
        consumer.setMaxPollRecords(BATCH);
        sdk = Otel.sampleAll();
        TracewireOptions options = TracewireOptions.builder()
                .openTelemetry(tracing.equals("sdk") ? sdk.openTelemetry : OpenTelemetry.noop())
                .logCorrelation(false).build();
        running = switch (handler) {
            case "single" -> new TracedBenchHandler(sink, options).start(consumer);
            case "batch" -> new TracedBenchBatchHandler(values -> lastBatch = values, options).start(consumer);
            default -> throw new IllegalArgumentException(handler);
        };
        long deadline = System.nanoTime() + STUCK_NANOS;
        while (consumer.subscription().isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the " + handler + " loop never subscribed");
            }
            Thread.sleep(1);
        }
        consumer.rebalance(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        running.close();
        System.out.println("spans exported: " + sdk.exporter.spans() + " for " + nextOffset + " records");
        sdk.close();
    }

    /** Queues the records of the next {@value #POLLS} polls; not timed. */
    @Setup(Level.Invocation)
    public void queue() {
        for (int i = 0; i < POLLS * BATCH; i++) {
            consumer.addRecord(KafkaDispatchBenchmark.record(nextOffset++, headers, value));
        }
        target = nextOffset;
    }

    @Benchmark
    public long records() {
        consumer.release(target);
        consumer.awaitCommitted(target, STUCK_NANOS);
        return target;
    }
}
