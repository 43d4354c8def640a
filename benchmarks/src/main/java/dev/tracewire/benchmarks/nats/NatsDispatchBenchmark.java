package dev.tracewire.benchmarks.nats;

import dev.tracewire.benchmarks.Otel;
import dev.tracewire.runtime.TracewireOptions;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
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
 * Table 3b: dispatch of one NATS message (100-byte payload, header {@code h} and a sampled W3C
 * {@code traceparent}) through the generated consumer's {@code handle(message)}, against the
 * untraced handler call and the floor. Overhead = variant minus {@link #raw}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class NatsDispatchBenchmark {

    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Headers carrier, String key) {
            return carrier == null ? null : carrier.getLast(key);
        }
    };

    /** What the user's handler does: keeps what it was given. */
    public static final class Sink implements NatsBenchHandler, NatsDottedHandler {
        public byte[] payload;
        public String h;

        @Override
        public void onMessage(byte[] payload, String h) {
            this.payload = payload;
            this.h = h;
        }
    }

    private final Sink sink = new Sink();
    private Message message;
    private Message dottedMessage;
    private TracedNatsDottedHandler dottedSdk;
    private TracedNatsDottedHandler dottedNoop;
    private Otel.Sdk sdk;
    private TracedNatsBenchHandler generatedSdk;
    private TracedNatsBenchHandler generatedNoop;
    private Tracer tracer;
    private TextMapPropagator propagator;

    @Setup(Level.Trial)
    public void setUp() {
        Headers headers = new Headers();
        headers.put("h", "tenant-1");
        headers.put("traceparent", TRACEPARENT);
        message = new NatsMessage("bench", null, headers, new byte[100]);
        dottedMessage = new NatsMessage("orders.eu.placed", null, headers, new byte[100]);
        sdk = Otel.sampleAll();
        generatedSdk = new TracedNatsBenchHandler(sink,
                TracewireOptions.builder().openTelemetry(sdk.openTelemetry).logCorrelation(false).build());
        generatedNoop = new TracedNatsBenchHandler(sink,
                TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build());
        dottedSdk = new TracedNatsDottedHandler(sink,
                TracewireOptions.builder().openTelemetry(sdk.openTelemetry).logCorrelation(false).build());
        dottedNoop = new TracedNatsDottedHandler(sink,
                TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build());
        tracer = sdk.openTelemetry.getTracer("floor");
        propagator = sdk.openTelemetry.getPropagators().getTextMapPropagator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("spans exported: " + sdk.exporter.spans());
        sdk.close();
    }

    /** The baseline: read the header, call the handler; no tracing. */
    @Benchmark
    public Sink raw() {
        sink.onMessage(message.getData(), message.hasHeaders() ? message.getHeaders().getLast("h") : null);
        return sink;
    }

    /**
     * The generated consumer's {@code handle(message)} with the SDK sampling everything, without
     * log correlation (as before Logback was on this class path: SLF4J's no-op MDC).
     */
    @Benchmark
    public Sink generatedSdk() throws Exception {
        generatedSdk.handle(message);
        return sink;
    }

    /**
     * {@link #generatedSdk} with log correlation on (the default): the span's ids put in Logback's
     * MDC around the handler and the MDC restored.
     */
    @Benchmark
    public Sink generatedSdkMdc(Mdc mdc) throws Exception {
        mdc.handler.handle(message);
        return mdc.sink;
    }

    /** {@link #generatedSdk} measuring too: an SDK meter provider with a periodic reader. */
    @Benchmark
    public Sink generatedSdkMetrics(Metered metered) throws Exception {
        metered.handler.handle(message);
        return metered.sink;
    }

    /** The same with {@code OpenTelemetry.noop()}. */
    @Benchmark
    public Sink generatedNoop() throws Exception {
        generatedNoop.handle(message);
        return sink;
    }

    /** The generated consumer with the SDK, on the three-token subject {@code orders.eu.placed}. */
    @Benchmark
    public Sink generatedSdkDotted() throws Exception {
        dottedSdk.handle(dottedMessage);
        return sink;
    }

    /** The same with {@code OpenTelemetry.noop()}. */
    @Benchmark
    public Sink generatedNoopDotted() throws Exception {
        dottedNoop.handle(dottedMessage);
        return sink;
    }

    /** The consumer of {@link #generatedSdkMdc}, made only for it: log correlation on. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Mdc {
        private final Sink sink = new Sink();
        private Otel.Sdk sdk;
        private TracedNatsBenchHandler handler;

        @Setup(Level.Trial)
        public void setUp() {
            sdk = Otel.sampleAll();
            handler = new TracedNatsBenchHandler(sink, TracewireOptions.builder().openTelemetry(sdk.openTelemetry)
                    .logCorrelation(true).build());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            System.out.println("MDC SDK: spans exported " + sdk.exporter.spans());
            sdk.close();
        }
    }

    /** The consumer of {@link #generatedSdkMetrics}, made only for it: an SDK that measures too. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Metered {
        private final Sink sink = new Sink();
        private Otel.Sdk sdk;
        private TracedNatsBenchHandler handler;

        @Setup(Level.Trial)
        public void setUp() {
            sdk = Otel.sampleAllMetered();
            handler = new TracedNatsBenchHandler(sink, TracewireOptions.builder().openTelemetry(sdk.openTelemetry)
                    .logCorrelation(false).build());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sdk.flushMetrics();
            System.out.println("metered SDK: spans exported " + sdk.exporter.spans() + ", metric points exported "
                    + sdk.metricExporter.points());
            sdk.close();
        }
    }

    /** The floor: extract from the NATS headers, a CONSUMER span with three attributes, end. */
    @Benchmark
    public Span floor() {
        Context parent = propagator.extract(Context.root(), message.getHeaders(), GETTER);
        Span span = tracer.spanBuilder("process bench")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, "nats")
                .setAttribute(MESSAGING_DESTINATION_NAME, message.getSubject())
                .setAttribute(MESSAGING_OPERATION_TYPE, "process")
                .startSpan();
        span.end();
        return span;
    }
}
