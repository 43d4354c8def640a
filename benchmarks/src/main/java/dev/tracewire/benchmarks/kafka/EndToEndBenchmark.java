package dev.tracewire.benchmarks.kafka;

import dev.tracewire.benchmarks.Otel;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Table 5, end to end: messages per second from the generated publisher through a real broker to
 * the generated consumer's handler, with tracing on and off, against the same pipeline traced by
 * hand (the floor) and through {@code KafkaTelemetry}; the targets are on &ge; 0.95 &times; floor and
 * on &ge; 1.5 &times; {@code kafkaTelemetry}.
 *
 * <p>Per trial (each value of {@code tracing} runs in its own JVM): one in-process KRaft broker,
 * the sample's {@link EmbeddedKafka} (broker and controller in one node, {@code 127.0.0.1} only, its
 * folder deleted on close), and on it the topic {@value #TOPIC} with <em>one</em> partition, so one
 * consumer reads everything in order and no rebalance or partition skew enters the numbers. A real
 * {@code KafkaProducer<String, byte[]>} under {@code TracedEndToEndEvents} sends, fire and forget,
 * a key ({@code key-0} to {@code key-999}) and a {@value #VALUE_BYTES}-byte random value per
 * message; a real {@code KafkaConsumer<String, byte[]>} is read by the generated poll loop
 * ({@code TracedEndToEndHandler.start(consumer)}, group {@value #GROUP}, commits after each poll),
 * whose handler counts arrivals.
 *
 * <ul>
 *   <li>{@code tracing=on}: the OpenTelemetry SDK sampling everything, exporting through a
 *       {@code BatchSpanProcessor} (queue of 65,536, batches of 512, every 100 ms) into an exporter
 *       that only counts ({@link Otel#sampleAllBatched()}), W3C trace context: a PRODUCER span per
 *       send, ended on the producer's I/O thread, its {@code traceparent} in the record headers,
 *       and a CONSUMER span per message on the poll loop thread, its child.
 *   <li>{@code tracing=off}: {@code OpenTelemetry.noop()}, the same generated classes, producer,
 *       consumer and broker (the runtime then skips tracing altogether, so no header is sent).
 *   <li>{@code tracing=floor}: the same SDK, producer, consumer and broker without tracewire: the
 *       plain producer's {@code send} with a PRODUCER span injected into the headers and ended in
 *       the callback, and a hand-written poll loop ({@link PlainLoop}: per record, then one
 *       asynchronous commit per poll, as the generated loop) that extracts and runs the handler in
 *       a CONSUMER span ({@link FloorPipeline}). One span per side, nothing else.
 *   <li>{@code tracing=kafkaTelemetry}: the same SDK, with the producer and the consumer wrapped by
 *       {@code KafkaTelemetry.create(sdk)} (its defaults: a send span per record, a process span per
 *       record as the loop iterates them), read by the same hand-written loop.
 * </ul>
 *
 * <p>Producer: the sample's settings ({@code acks=all} with idempotence; with one broker that is
 * one acknowledgement, as {@code acks=1} would be) plus {@code linger.ms=5} and
 * {@code batch.size=65536}, no compression. Consumer: the sample's settings (earliest, no
 * auto-commit, {@code fetch.max.wait.ms=100}), {@code max.poll.records} 500 (Kafka's default),
 * the runtime's poll timeout of 100 ms.
 *
 * <p>Each invocation publishes {@value #BATCH} messages and then waits (parked; the handler
 * unparks it) until the handler has seen every message published up to {@code inFlight} batches
 * before: with the default {@code inFlight=1} the previous batch, so one batch stays on its way
 * while the next is sent, the broker and both clients never idle, and the score is the steady
 * throughput, not throughput plus a per-batch delay (linger, fetch, hand-off: a few ms per
 * invocation, which would pull on and off towards each other). {@code -p inFlight=0} waits for
 * the invocation's own batch instead. The score is per message ({@code @OperationsPerInvocation}),
 * so ops/s = messages/s. Before the first invocation, set-up sends one batch and waits for all of
 * it: the consumer has joined the group, got the partition and caught up.
 *
 * <p>Tear-down waits for the last messages, then closes producer, poll loop (which commits and
 * closes the consumer), SDK (flushing the batch processor) and broker, and prints how many spans
 * were exported: two per message when traced (fewer would mean the batch processor dropped some),
 * none with tracing off.
 *
 * <p>Broker, clients, span export and the benchmark thread share the machine's cores, so on a
 * small machine this is CPU-bound and the ratio says what tracing costs next to the CPU the whole
 * pipeline, broker included, spends per message. The defaults (3 forks, 10 + 10 iterations of
 * 2 s) are what the README's command uses: the throughput still climbs for several seconds after
 * the broker started, and a fork's broker, JIT and GC state differ from the next one's.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(3)
@Threads(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
@OperationsPerInvocation(EndToEndBenchmark.BATCH)
public class EndToEndBenchmark {

    static final String TOPIC = "e2e";
    static final String GROUP = "e2e-bench";
    static final int BATCH = 1_000;
    static final int VALUE_BYTES = 1_024;
    /** How long a batch may take before the run is declared stuck. */
    private static final long STUCK_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** The first batch also waits for the consumer to join the group and get the partition. */
    private static final long FIRST_BATCH_NANOS = TimeUnit.SECONDS.toNanos(120);

    @Param({"on", "off", "floor", "kafkaTelemetry"})
    public String tracing;

    /** Batches that may still be on their way when an invocation returns (see the class comment). */
    @Param({"1"})
    public int inFlight;

    private final String[] keys = new String[BATCH];
    private final byte[] value = new byte[VALUE_BYTES];
    private final Counter counter = new Counter();

    private EmbeddedKafka kafka;
    private Otel.Sdk sdk;
    private KafkaProducer<String, byte[]> producer;
    private AutoCloseable consumerLoop;
    private EndToEndEvents publisher;
    private long published;

    @Setup(Level.Trial)
    public void setUp() {
        if (inFlight < 0) {
            throw new IllegalArgumentException("inFlight must be 0 or more, not " + inFlight);
        }
        for (int i = 0; i < BATCH; i++) {
            keys[i] = "key-" + i;
        }
        new Random(42).nextBytes(value);
        kafka = EmbeddedKafka.start();
        try {
            kafka.createTopic(TOPIC, 1);
            Map<String, Object> producerConfig = kafka.producerConfig();
            producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "e2e-bench-producer");
            producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            producerConfig.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer());
            Map<String, Object> consumerConfig = kafka.consumerConfig(GROUP);
            consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "e2e-bench-consumer");
            KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
            try {
                consumerLoop = startPipeline(consumer);
            } catch (RuntimeException e) {
                consumer.close();
                throw e;
            }

            publishBatch();
            counter.await(published, FIRST_BATCH_NANOS);
            System.out.println("broker up in " + kafka.startupTime().toMillis() + " ms at " + kafka.bootstrapServers()
                    + "; consumer assigned and caught up on the first " + published + " messages");
        } catch (RuntimeException | Error e) {
            closeAll(e);
            throw e;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            counter.await(published, STUCK_NANOS);
        } catch (RuntimeException e) {
            closeAll(e);
            throw e;
        }
        closeAll(null);
        long spans = sdk == null ? 0 : sdk.exporter.spans();
        System.out.println("tracing " + tracing + ": " + counter.seen() + " messages of " + published + " received ("
                + counter.bytes() + " value bytes), spans exported: " + spans
                + (sdk == null ? " (OpenTelemetry.noop())" : " (2 per message expected: " + 2 * published + ")"));
    }

    /** Closes whatever was opened, in order; failures are added to {@code failure}, or thrown. */
    private void closeAll(Throwable failure) {
        RuntimeException closeFailure = null;
        AutoCloseable[] steps = {
            () -> {
                if (producer != null) {
                    producer.close(Duration.ofSeconds(10));
                }
            },
            () -> {
                if (consumerLoop != null) {
                    consumerLoop.close();
                }
            },
            () -> {
                if (sdk != null) {
                    sdk.close();
                }
            },
            () -> {
                if (kafka != null) {
                    kafka.close();
                }
            },
        };
        for (AutoCloseable step : steps) {
            try {
                step.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (closeFailure == null) {
                    closeFailure = new IllegalStateException("closing the end-to-end set-up failed", e);
                } else {
                    closeFailure.addSuppressed(e);
                }
            }
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
    }

    /**
     * Builds the publisher and starts the consumer of the pipeline {@code tracing} names; the
     * returned loop owns {@code consumer}.
     */
    private AutoCloseable startPipeline(KafkaConsumer<String, byte[]> consumer) {
        switch (tracing) {
            case "on", "off" -> {
                OpenTelemetry openTelemetry;
                if (tracing.equals("on")) {
                    sdk = Otel.sampleAllBatched();
                    openTelemetry = sdk.openTelemetry;
                } else {
                    openTelemetry = OpenTelemetry.noop();
                }
                TracewireOptions options = TracewireOptions.builder().openTelemetry(openTelemetry).build();
                publisher = new TracedEndToEndEvents(producer, options);
                return new TracedEndToEndHandler(counter, options).start(consumer);
            }
            case "floor" -> {
                sdk = Otel.sampleAllBatched();
                FloorPipeline floor = new FloorPipeline(sdk.openTelemetry, TOPIC);
                publisher = (key, value) -> floor.send(producer, key, value);
                return new PlainLoop<>(consumer, TOPIC, record -> floor.process(record, counter::onMessage));
            }
            case "kafkaTelemetry" -> {
                sdk = Otel.sampleAllBatched();
                KafkaTelemetry telemetry = KafkaTelemetry.create(sdk.openTelemetry);
                Producer<String, byte[]> wrapped = telemetry.wrap(producer);
                publisher = (key, value) -> wrapped.send(new ProducerRecord<>(TOPIC, key, value));
                return new PlainLoop<>(telemetry.wrap(consumer), TOPIC,
                        record -> counter.onMessage(record.key(), record.value()));
            }
            default -> throw new IllegalArgumentException(
                    "tracing must be on, off, floor or kafkaTelemetry, not " + tracing);
        }
    }

    private void publishBatch() {
        for (int i = 0; i < BATCH; i++) {
            publisher.send(keys[i], value);
        }
        published += BATCH;
    }

    /** {@code -Dtracewire.bench.threadCpu=true}: prints each iteration's CPU per message by thread role. */
    private static final boolean THREAD_CPU = Boolean.getBoolean("tracewire.bench.threadCpu");
    private ThreadCpu iterationStart;
    private long iterationStartPublished;

    @Setup(Level.Iteration)
    public void startIteration() {
        if (THREAD_CPU) {
            iterationStart = ThreadCpu.snapshot();
            iterationStartPublished = published;
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        if (THREAD_CPU) {
            System.out.println(ThreadCpu.snapshot().perMessageSince(iterationStart, published - iterationStartPublished));
        }
    }

    @Benchmark
    public long messages() {
        publishBatch();
        counter.await(published - (long) inFlight * BATCH, STUCK_NANOS);
        return published;
    }

    /**
     * The handler: counts arrivals on the poll loop thread and unparks the benchmark thread when
     * the count it waits for is reached.
     */
    static final class Counter implements EndToEndHandler {
        /** Written by the poll loop thread only. */
        private volatile long seen;
        private volatile long target = Long.MAX_VALUE;
        private volatile Thread waiter;
        /** Poll loop thread only; read after the loop stopped. */
        private long bytes;

        @Override
        public void onMessage(String key, byte[] value) {
            bytes += value.length;
            long n = seen + 1;
            seen = n;
            if (n == target) {
                LockSupport.unpark(waiter);
            }
        }

        long seen() {
            return seen;
        }

        long bytes() {
            return bytes;
        }

        /** Parks the calling thread until {@code count} messages have arrived. */
        void await(long count, long timeoutNanos) {
            if (seen >= count) {
                return;
            }
            waiter = Thread.currentThread(); // before target: the handler reads target, then waiter
            target = count;
            long deadline = System.nanoTime() + timeoutNanos;
            while (seen < count) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the consumer saw " + seen + " messages, not " + count + ", in "
                            + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }
}
