package dev.tracewire.benchmarks.nats;

import dev.tracewire.benchmarks.Otel;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.testing.FakeConnection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Table 3a: one core NATS publish of a 100-byte payload with header {@code h}, on a connection
 * without a network ({@link FakeConnection}: the {@code NatsMessage} is built, headers copied and
 * measured, as the real connection does before queueing it). Overhead = variant minus {@link #raw}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class NatsPublishBenchmark {

    static final String SUBJECT = "bench";
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final TextMapSetter<Headers> PUT_HEADER = Headers::put;

    private final byte[] payload = new byte[100];
    private final FakeConnection connection = FakeConnection.keepingOnlyTheLast("nats://127.0.0.1:4222");
    private Otel.Sdk sdk;
    private NatsBenchEvents generatedSdk;
    private NatsBenchEvents generatedNoop;
    private Tracer tracer;
    private TextMapPropagator propagator;

    @Setup(Level.Trial)
    public void setUp() {
        sdk = Otel.sampleAll();
        generatedSdk = new TracedNatsBenchEvents(connection,
                TracewireOptions.builder().openTelemetry(sdk.openTelemetry).build());
        generatedNoop = new TracedNatsBenchEvents(connection,
                TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build());
        tracer = sdk.openTelemetry.getTracer("floor");
        propagator = sdk.openTelemetry.getPropagators().getTextMapPropagator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("spans exported: " + sdk.exporter.spans() + " for " + connection.publishedCount()
                + " messages; last one: " + connection.last());
        sdk.close();
    }

    /** The baseline: headers with {@code h}, publish; no tracing. */
    @Benchmark
    public NatsMessage raw() {
        Headers headers = new Headers();
        headers.put("h", "tenant-1");
        connection.publish(SUBJECT, headers, payload);
        return connection.last();
    }

    /** The generated publisher with the SDK sampling everything. */
    @Benchmark
    public NatsMessage generatedSdk() {
        generatedSdk.send("tenant-1", payload);
        return connection.last();
    }

    /**
     * The generated publisher with the SDK sampling everything and measuring (a meter provider with
     * a periodic reader), on a fake connection of its own.
     */
    @Benchmark
    public NatsMessage generatedSdkMetrics(Metered metered) {
        metered.events.send("tenant-1", payload);
        return metered.connection.last();
    }

    /** The generated publisher with {@code OpenTelemetry.noop()}. */
    @Benchmark
    public NatsMessage generatedNoop() {
        generatedNoop.send("tenant-1", payload);
        return connection.last();
    }

    /** The measuring SDK and publisher of {@link #generatedSdkMetrics}, made only for it. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Metered {
        private final FakeConnection connection = FakeConnection.keepingOnlyTheLast("nats://127.0.0.1:4222");
        private Otel.Sdk sdk;
        private NatsBenchEvents events;

        @Setup(Level.Trial)
        public void setUp() {
            sdk = Otel.sampleAllMetered();
            events = new TracedNatsBenchEvents(connection, TracewireOptions.builder().openTelemetry(sdk.openTelemetry)
                    .build());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sdk.flushMetrics();
            System.out.println("metered SDK: spans exported " + sdk.exporter.spans() + ", metric points exported "
                    + sdk.metricExporter.points() + " for " + connection.publishedCount() + " messages");
            sdk.close();
        }
    }

    /** The floor: a PRODUCER span with three attributes, injected into fresh NATS headers, ended. */
    @Benchmark
    public Headers floor() {
        Headers headers = new Headers();
        Span span = tracer.spanBuilder("publish bench")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MESSAGING_SYSTEM, "nats")
                .setAttribute(MESSAGING_DESTINATION_NAME, SUBJECT)
                .setAttribute(MESSAGING_OPERATION_TYPE, "send")
                .startSpan();
        propagator.inject(Context.current().with(span), headers, PUT_HEADER);
        span.end();
        return headers;
    }
}
