package dev.tracewire.runtime.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.internal.KafkaDispatcher;
import dev.tracewire.runtime.kafka.internal.KafkaPublisher;
import dev.tracewire.runtime.kafka.internal.KafkaSender;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Default options follow the global {@code OpenTelemetry} without locking it: clients built before
 * the application registers its SDK (the usual order in DI containers) neither trace nor install a
 * no-op global, the registration then succeeds, and from the next message on they trace with it.
 * Each case starts from an unset global ({@link GlobalOpenTelemetry#resetForTest()}).
 */
class GlobalOpenTelemetryBindingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    @BeforeEach
    @AfterEach
    void unsetTheGlobal() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void buildingDefaultOptionsAndClientsDoesNotSetTheGlobal() {
        TracewireOptions options = TracewireOptions.defaults();
        new KafkaPublisher<>(producer(), options).sender("orders");
        KafkaDispatcher.<String, String>builder("Handler", "", options).route("orders", record -> { }).build();

        assertThat(GlobalOpenTelemetry.isSet()).isFalse();
        assertThat(options.openTelemetry().getTracerProvider().get("x").spanBuilder("y").startSpan().isRecording())
                .as("no-op until an SDK is registered").isFalse();
    }

    @Test
    void aPublisherBuiltBeforeTheSdkIsRegisteredTracesOnceItIs() {
        MockProducer<String, String> producer = producer();
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer, TracewireOptions.defaults()).sender("orders");
        sender.sendAndForget(sender.record("k", "before"));

        OpenTelemetrySdk sdk = registerSdk();
        try {
            sender.sendAndForget(sender.record("k", "after"));

            assertThat(GlobalOpenTelemetry.get().getTracerProvider()).isNotNull();
            assertThat(exporter.getFinishedSpanItems()).singleElement()
                    .satisfies(span -> assertThat(span.getName()).isEqualTo("send orders"));
            List<ProducerRecord<String, String>> sent = producer.history();
            assertThat(sent.get(0).headers().lastHeader("traceparent")).as("before the registration").isNull();
            assertThat(sent.get(1).headers().lastHeader("traceparent")).as("after it").isNotNull();
        } finally {
            sdk.close();
        }
    }

    @Test
    void aDispatcherBuiltBeforeTheSdkIsRegisteredTracesOnceItIs() throws Exception {
        List<SpanContext> seen = new ArrayList<>();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher
                .<String, String>builder("Handler", "", TracewireOptions.defaults())
                .route("orders", record -> seen.add(Span.current().getSpanContext()))
                .build();
        dispatcher.handle(record(), RuntimeException.class);

        OpenTelemetrySdk sdk = registerSdk();
        try {
            dispatcher.handle(record(), RuntimeException.class);

            assertThat(seen.get(0).isValid()).as("before the registration").isFalse();
            assertThat(seen.get(1).getTraceId()).as("after it, continuing the record's trace")
                    .isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(exporter.getFinishedSpanItems()).singleElement()
                    .satisfies(span -> assertThat(span.getName()).isEqualTo("process orders"));
        } finally {
            sdk.close();
        }
    }

    /**
     * {@code GlobalOpenTelemetry.isSet()} takes a lock the whole JVM shares. Held (here by a
     * registration whose supplier waits), one thread asking blocks on it; a message on any other
     * thread must not queue behind it: it is handled at once, untraced, and the waiting one is
     * traced once the registration is done.
     */
    @Test
    void aMessageDoesNotWaitForTheGlobalLockWhileAnotherThreadAsks() throws Exception {
        CountDownLatch registering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<SpanContext> seenFirst = new CopyOnWriteArrayList<>();
        List<SpanContext> seenSecond = new CopyOnWriteArrayList<>();
        KafkaDispatcher<String, String> first = dispatcher(seenFirst);
        KafkaDispatcher<String, String> second = dispatcher(seenSecond);
        ExecutorService threads = Executors.newFixedThreadPool(3);
        OpenTelemetrySdk[] registered = new OpenTelemetrySdk[1];
        try {
            Future<?> registration = threads.submit(() -> GlobalOpenTelemetry.set(() -> {
                registering.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                registered[0] = sdk();
                return registered[0];
            }));
            assertThat(registering.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> askingThread = new AtomicReference<>();
            Future<?> asking = threads.submit(() -> {
                askingThread.set(Thread.currentThread());
                // Until traced: a message that found another thread of the JVM asking went untraced
                // at once; the one that asks waits here for the registration.
                do {
                    handle(first);
                } while (!seenFirst.get(seenFirst.size() - 1).isValid());
            });
            await(() -> askingThread.get() != null && askingThread.get().getState() == Thread.State.BLOCKED);
            Future<?> other = threads.submit(() -> handle(second));

            other.get(10, TimeUnit.SECONDS); // the old code waited here until the registration ended
            assertThat(seenSecond).singleElement().satisfies(context ->
                    assertThat(context.isValid()).as("handled untraced, not queued").isFalse());
            assertThat(asking.isDone()).as("still asking the global").isFalse();

            release.countDown();
            registration.get(10, TimeUnit.SECONDS);
            asking.get(10, TimeUnit.SECONDS);
            assertThat(seenFirst.get(seenFirst.size() - 1).getTraceId())
                    .as("the asking thread's message, traced once registered")
                    .isEqualTo("0af7651916cd43dd8448eb211c80319c");
            handle(second);
            assertThat(seenSecond.get(1).isValid()).as("the other client's next message").isTrue();
            assertThat(exporter.getFinishedSpanItems()).hasSize(2);
        } finally {
            release.countDown();
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            if (registered[0] != null) {
                registered[0].close();
            }
        }
    }

    private static KafkaDispatcher<String, String> dispatcher(List<SpanContext> seen) {
        return KafkaDispatcher.<String, String>builder("Handler", "", TracewireOptions.defaults())
                .route("orders", record -> seen.add(Span.current().getSpanContext()))
                .build();
    }

    private static void handle(KafkaDispatcher<String, String> dispatcher) {
        dispatcher.handle(record(), RuntimeException.class);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited 10 s").isNegative();
            Thread.sleep(5);
        }
    }

    private OpenTelemetrySdk registerSdk() {
        OpenTelemetrySdk sdk = sdk();
        GlobalOpenTelemetry.set(sdk);
        return sdk;
    }

    private OpenTelemetrySdk sdk() {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    private static MockProducer<String, String> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    }

    private static ConsumerRecord<String, String> record() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 0, 0L, "k", "v");
        record.headers().add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(UTF_8));
        return record;
    }
}
