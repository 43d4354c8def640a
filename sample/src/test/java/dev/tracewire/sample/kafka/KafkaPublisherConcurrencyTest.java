package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.support.SpanLedger;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * 8 threads × 100,000 sends through one generated publisher, on a producer that acknowledges at
 * once: on the calling thread or on a thread of its own, the way the Kafka client's I/O thread
 * does, and fails one send in a hundred. Every span ends exactly once, every future completes as
 * its send did, and each thread's context stays the root context.
 */
class KafkaPublisherConcurrencyTest {

    private static final int THREADS = 8;
    private static final int SENDS_PER_THREAD = 100_000;
    private static final int FAIL_EVERY = 100;

    @TracedPublisher
    interface Burst {
        @Topic("e2e.burst")
        CompletableFuture<RecordMetadata> send(@Key String key, String value);
    }

    @Test
    void everySpanEndsOnceAndNoContextIsLeftOnAnyThread() throws Exception {
        SpanLedger ledger = SpanLedger.counting();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(ledger).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        InstantProducer producer = new InstantProducer();
        Burst burst = new TracedKafkaPublisherConcurrencyTest_Burst(producer,
                TracewireOptions.builder().openTelemetry(sdk).build());
        LongAdder acknowledged = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder contextChanged = new LongAdder();
        LongAdder threadsNotAtRoot = new LongAdder();
        long start = System.nanoTime();
        try {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                String prefix = "t" + t + "-";
                Thread thread = new Thread(() -> {
                    List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(SENDS_PER_THREAD);
                    for (int i = 0; i < SENDS_PER_THREAD; i++) {
                        futures.add(burst.send(prefix + i, "v"));
                        if (Context.current() != Context.root()) {
                            contextChanged.increment();
                        }
                    }
                    for (CompletableFuture<RecordMetadata> future : futures) {
                        try {
                            future.get(30, TimeUnit.SECONDS);
                            acknowledged.increment();
                        } catch (Exception e) {
                            failed.increment();
                        }
                    }
                    if (Context.current() != Context.root()) {
                        threadsNotAtRoot.increment();
                    }
                }, "burst-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            producer.shutDown();
            sdk.close();
        }
        long sends = (long) THREADS * SENDS_PER_THREAD;
        System.out.printf("[tracewire tests] %d threads x %d sends through one generated publisher: %d ms; "
                        + "spans started %d, ended %d, failed %d%n", THREADS, SENDS_PER_THREAD,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), ledger.started(), ledger.ended(),
                ledger.failed());

        assertThat(acknowledged.sum() + failed.sum()).isEqualTo(sends);
        assertThat(failed.sum()).as("futures failed like their sends").isEqualTo(sends / FAIL_EVERY);
        assertThat(ledger.started()).as("one span per send").isEqualTo(sends);
        assertThat(ledger.open()).as("spans never ended").isEmpty();
        assertThat(ledger.endedUnknown()).isZero();
        assertThat(ledger.ended()).isEqualTo(sends);
        assertThat(ledger.failed()).as("failed sends are failed spans").isEqualTo(sends / FAIL_EVERY);
        assertThat(contextChanged.sum()).as("sends that left a context behind").isZero();
        assertThat(threadsNotAtRoot.sum()).isZero();
    }

    /**
     * Acknowledges each send at once, half on the caller's thread and half on a completer thread,
     * and fails one in {@value #FAIL_EVERY}; keeps no history (a {@link MockProducer} would keep
     * every record).
     */
    private static final class InstantProducer extends MockProducer<String, String> {
        private final AtomicLong sent = new AtomicLong();
        private final ExecutorService completer = Executors.newSingleThreadExecutor();

        InstantProducer() {
            super(true, null, new StringSerializer(), new StringSerializer());
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
            long n = sent.incrementAndGet();
            RecordMetadata metadata = new RecordMetadata(new TopicPartition(record.topic(), 0), n, 0, 0L, 0, 0);
            Exception failure = n % FAIL_EVERY == 0 ? new TimeoutException("send " + n + " timed out") : null;
            Runnable complete = () -> callback.onCompletion(failure == null ? metadata : null, failure);
            if (n % 2 == 0) {
                complete.run();
            } else {
                completer.execute(complete);
            }
            return failure == null ? CompletableFuture.completedFuture(metadata)
                    : CompletableFuture.failedFuture(failure);
        }

        void shutDown() throws InterruptedException {
            completer.shutdown();
            assertThat(completer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
