package dev.tracewire.sample.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An SDK with an in-memory exporter and W3C trace-context and baggage propagators per test,
 * connections to the shared {@code nats-server}, and everything closed after the test.
 */
@ExtendWith(SharedNats.Extension.class)
abstract class NatsTestBase {

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> TEMPLATE = AttributeKey.stringKey("messaging.destination.template");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("messaging.client.id");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> STREAM = AttributeKey.stringKey("messaging.nats.stream");
    static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("messaging.nats.sequence");
    static final AttributeKey<Long> DELIVERY_COUNT = AttributeKey.longKey("messaging.nats.message.delivery_count");

    protected final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    protected OpenTelemetrySdk sdk;
    protected TracewireOptions options;
    protected NatsServerProcess nats;
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    @BeforeEach
    void createSdk(NatsServerProcess server) {
        nats = server;
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
        try {
            while (!closeables.isEmpty()) {
                closeables.pop().close();
            }
        } finally {
            sdk.close();
        }
    }

    protected <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    /** A new connection to the shared server, closed after the test (after the subscriptions on it). */
    protected Connection connect() throws IOException, InterruptedException {
        Connection connection = Nats.connect(nats.url());
        closeLater(connection::close);
        return connection;
    }

    /** A memory stream for {@code subjects}, deleted after the test (so a rerun starts empty). */
    protected void createStream(Connection connection, String name, String... subjects)
            throws IOException, JetStreamApiException {
        JetStreamManagement management = connection.jetStreamManagement();
        try {
            management.deleteStream(name);
        } catch (JetStreamApiException notThere) {
            // a fresh server has none
        }
        management.addStream(StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .storageType(StorageType.Memory)
                .build());
        closeLater(() -> {
            Connection cleaner = Nats.connect(nats.url());
            try {
                cleaner.jetStreamManagement().deleteStream(name);
            } finally {
                cleaner.close();
            }
        });
    }

    /** How many messages {@code stream} holds. */
    static long messageCount(JetStreamManagement management, String stream) {
        try {
            return management.getStreamInfo(stream).getStreamState().getMsgCount();
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the server knows of the durable consumer {@code durable} of {@code stream}. */
    static ConsumerInfo consumerInfo(JetStreamManagement management, String stream, String durable) {
        try {
            return management.getConsumerInfo(stream, durable);
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    protected Tracer tracer() {
        return sdk.getTracer("test");
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

    /** Waits until {@code count} finished spans are named {@code name}; returns them. */
    protected List<SpanData> awaitSpans(String name, int count) throws InterruptedException {
        return named(awaitSpans(spans -> named(spans, name).size() >= count), name);
    }

    /** Waits for the one finished span named {@code name}. */
    protected SpanData awaitSpan(String name) throws InterruptedException {
        return awaitSpans(name, 1).get(0);
    }

    static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).toList();
    }

    /** Waits up to {@code timeout} for {@code condition}; fails the test if it never holds. */
    static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as("timed out waiting for %s", what).isTrue();
            Thread.sleep(10);
        }
    }
}
