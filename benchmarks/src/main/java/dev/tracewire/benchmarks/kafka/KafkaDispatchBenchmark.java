package dev.tracewire.benchmarks.kafka;

import dev.tracewire.benchmarks.Otel;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Table 2a: dispatch of one {@code ConsumerRecord} (100-byte value, header {@code h} and a sampled
 * W3C {@code traceparent}) to a handler, on the calling thread. Overhead of a variant = its time
 * minus {@link #raw}, the untraced call of the handler with the header read.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class KafkaDispatchBenchmark {

    static final String TOPIC = "bench";
    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGING_DESTINATION_PARTITION_ID =
            AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> MESSAGING_KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    /** Last header of that name, as UTF-8: what any Kafka getter does. */
    static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header header : carrier) {
                keys.add(header.key());
            }
            return keys;
        }

        @Override
        public String get(Headers carrier, String key) {
            Header header = carrier == null ? null : carrier.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    /** What the user's handler does: keeps what it was given, so nothing is optimised away. */
    public static final class Sink implements BenchHandler {
        public byte[] h;
        public byte[] value;

        @Override
        public void onRecord(byte[] h, byte[] value) {
            this.h = h;
            this.value = value;
        }
    }

    private final Sink sink = new Sink();
    private ConsumerRecord<byte[], byte[]> record;
    private Otel.Sdk sdk;
    private TracedBenchHandler generatedSdk;
    private TracedBenchHandler generatedNoop;
    private TracedBenchHandler generatedGlobal;
    private Otel.Sdk globalSdk;
    private Tracer tracer;
    private TextMapPropagator propagator;

    static ConsumerRecord<byte[], byte[]> record(long offset, Headers headers, byte[] value) {
        return new ConsumerRecord<>(TOPIC, 0, offset, 1_700_000_000_000L, TimestampType.CREATE_TIME, -1, value.length,
                null, value, headers, Optional.empty());
    }

    static Headers headers() {
        Headers headers = new RecordHeaders();
        headers.add("h", "tenant-1".getBytes(StandardCharsets.UTF_8));
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        record = record(42L, headers(), new byte[100]);
        // The global OpenTelemetry (no openTelemetry(...) given), options built before anything is
        // registered globally (the usual order in DI containers); log correlation off as in generatedSdk.
        generatedGlobal = new TracedBenchHandler(sink, TracewireOptions.builder().logCorrelation(false).build());
        if (params.getBenchmark().endsWith(".generatedLateGlobal")) {
            globalSdk = Otel.sampleAll();
            GlobalOpenTelemetry.set(globalSdk.openTelemetry);
        }
        sdk = Otel.sampleAll();
        generatedSdk = new TracedBenchHandler(sink, TracewireOptions.builder().openTelemetry(sdk.openTelemetry)
                .logCorrelation(false).build());
        generatedNoop = new TracedBenchHandler(sink, TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build());
        tracer = sdk.openTelemetry.getTracer("hand-written");
        propagator = sdk.openTelemetry.getPropagators().getTextMapPropagator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("spans exported: " + sdk.exporter.spans() + ", global SDK "
                + (globalSdk == null ? "(not registered)" : globalSdk.exporter.spans()));
        sdk.close();
        if (globalSdk != null) {
            globalSdk.close();
        }
    }

    private static byte[] lastBytes(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : header.value();
    }

    /** The baseline: read the header, call the handler; no tracing. */
    @Benchmark
    public Sink raw() {
        sink.onRecord(lastBytes(record.headers(), "h"), record.value());
        return sink;
    }

    /**
     * The generated consumer's {@code handle(record)} with the SDK sampling everything, without log
     * correlation (as before Logback was on this class path: SLF4J's no-op MDC).
     */
    @Benchmark
    public Sink generatedSdk() throws Exception {
        generatedSdk.handle(record);
        return sink;
    }

    /**
     * {@link #generatedSdk} with log correlation on (the default): the span's ids put in Logback's
     * MDC around the handler and the MDC restored.
     */
    @Benchmark
    public Sink generatedSdkMdc(Mdc mdc) throws Exception {
        mdc.handler.handle(record);
        return mdc.sink;
    }

    /** {@link #generatedSdk} measuring too: an SDK meter provider with a periodic reader. */
    @Benchmark
    public Sink generatedSdkMetrics(Metered metered) throws Exception {
        metered.handler.handle(record);
        return metered.sink;
    }

    /**
     * The generated consumer built with the global {@code OpenTelemetry} (no openTelemetry(...) given) before
     * the SDK was registered globally, measured after the registration: the SDK sampling everything.
     */
    @Benchmark
    public Sink generatedLateGlobal() throws Exception {
        generatedGlobal.handle(record);
        return sink;
    }

    /** The same consumer when nothing is ever registered globally: tracing off through the default options. */
    @Benchmark
    public Sink generatedGlobalUnset() throws Exception {
        generatedGlobal.handle(record);
        return sink;
    }

    /**
     * {@link #generatedGlobalUnset} on two threads, each with its own consumer (two clients in one
     * JVM): what the JVM-wide lock of {@code GlobalOpenTelemetry.isSet()} costs when they ask at once.
     */
    @Benchmark
    @Threads(2)
    public Sink generatedGlobalUnsetTwoThreads() throws Exception {
        generatedGlobal.handle(record);
        return sink;
    }

    /** The same with {@code OpenTelemetry.noop()}. */
    @Benchmark
    public Sink generatedNoop() throws Exception {
        generatedNoop.handle(record);
        return sink;
    }

    /** The consumer of {@link #generatedSdkMdc}, made only for it: log correlation on. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Mdc {
        private final Sink sink = new Sink();
        private Otel.Sdk sdk;
        private TracedBenchHandler handler;

        @Setup(Level.Trial)
        public void setUp() {
            sdk = Otel.sampleAll();
            handler = new TracedBenchHandler(sink, TracewireOptions.builder().openTelemetry(sdk.openTelemetry)
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
        private TracedBenchHandler handler;

        @Setup(Level.Trial)
        public void setUp() {
            sdk = Otel.sampleAllMetered();
            handler = new TracedBenchHandler(sink, TracewireOptions.builder().openTelemetry(sdk.openTelemetry)
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

    /**
     * A careful hand-written equivalent: the same six attributes, the handler run in the span's
     * scope, a failure recorded.
     */
    @Benchmark
    public Sink handWritten() {
        Context parent = propagator.extract(Context.root(), record.headers(), GETTER);
        Span span = tracer.spanBuilder("process " + record.topic())
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_DESTINATION_NAME, record.topic())
                .setAttribute(MESSAGING_OPERATION_TYPE, "process")
                .setAttribute(MESSAGING_OPERATION_NAME, "process")
                .setAttribute(MESSAGING_DESTINATION_PARTITION_ID, String.valueOf(record.partition()))
                .setAttribute(MESSAGING_KAFKA_OFFSET, record.offset())
                .startSpan();
        Scope scope = parent.with(span).makeCurrent();
        try {
            sink.onRecord(lastBytes(record.headers(), "h"), record.value());
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            scope.close();
            span.end();
        }
        return sink;
    }

    /** The floor: extract, a CONSUMER span with three attributes, end. No scope, no handler. */
    @Benchmark
    public Span floor() {
        Context parent = propagator.extract(Context.root(), record.headers(), GETTER);
        Span span = tracer.spanBuilder("process bench")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_DESTINATION_NAME, TOPIC)
                .setAttribute(MESSAGING_OPERATION_TYPE, "process")
                .startSpan();
        span.end();
        return span;
    }

    /** Informational: the floor plus making the span current around the handler call. */
    @Benchmark
    public Sink floorWithScope() {
        Context parent = propagator.extract(Context.root(), record.headers(), GETTER);
        Span span = tracer.spanBuilder("process bench")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_DESTINATION_NAME, TOPIC)
                .setAttribute(MESSAGING_OPERATION_TYPE, "process")
                .startSpan();
        Scope scope = parent.with(span).makeCurrent();
        try {
            sink.onRecord(lastBytes(record.headers(), "h"), record.value());
        } finally {
            scope.close();
            span.end();
        }
        return sink;
    }
}
