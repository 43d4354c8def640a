package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** An SDK with an in-memory exporter per test, and clients that are closed after it. */
abstract class KafkaTestBase {

    protected final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    protected OpenTelemetrySdk sdk;
    protected TracewireOptions options;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    @BeforeEach
    void createSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        options = TracewireOptions.builder().openTelemetry(sdk).build();
    }

    @AfterEach
    void closeEverything() throws Exception {
        while (!closeables.isEmpty()) {
            closeables.pop().close();
        }
        sdk.close();
    }

    protected <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    protected KafkaProducer<String, String> stringProducer(EmbeddedKafka kafka) {
        return closeLater(new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new StringSerializer()));
    }

    /** A consumer for a subscription, which owns and closes it. */
    protected KafkaConsumer<String, String> stringConsumer(EmbeddedKafka kafka, String group) {
        return new KafkaConsumer<>(kafka.consumerConfig(group), new StringDeserializer(), new StringDeserializer());
    }

    /** Waits up to 30 s until the finished spans satisfy {@code condition}; returns them. */
    protected List<SpanData> awaitSpans(Predicate<List<SpanData>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<SpanData> spans = exporter.getFinishedSpanItems();
            if (condition.test(spans)) {
                return spans;
            }
            Thread.sleep(20);
        }
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(condition.test(spans)).as("spans never matched; got %s", spans).isTrue();
        return spans;
    }

    /** Waits for the one finished span named {@code name}. */
    protected SpanData awaitSpan(String name) throws InterruptedException {
        return awaitSpans(spans -> spans.stream().anyMatch(s -> s.getName().equals(name))).stream()
                .filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}
