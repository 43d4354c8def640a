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
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Table 1: one Kafka publish on a {@code MockProducer<byte[], byte[]>} that acknowledges at once
 * (so the producer callback, and with it the end of the span, runs inside the measured call), a
 * 100-byte value and one header {@code h}.
 *
 * <p>Every variant that sends clears the mock's history every 1,024 sends (it keeps every record
 * it was given); that costs all of them the same. Overhead of a variant = its time minus
 * {@link #rawSend}; the floor is the tracing work alone, without a send.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class KafkaPublishBenchmark {

    static final String TOPIC = "bench";
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_DESTINATION_NAME = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGING_DESTINATION_PARTITION_ID =
            AttributeKey.stringKey("messaging.destination.partition.id");
    static final AttributeKey<Long> MESSAGING_KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    /** The floor writes headers the cheapest correct way: one add, no replace. */
    static final TextMapSetter<Headers> ADD_HEADER =
            (carrier, key, value) -> carrier.add(key, value.getBytes(StandardCharsets.UTF_8));

    private final byte[] value = new byte[100];
    private final byte[] h = "tenant-1".getBytes(StandardCharsets.UTF_8);

    private MockProducer<byte[], byte[]> producer;
    private int sends;

    private Otel.Sdk sampleAll;
    private Otel.Sdk dropAll;
    private Otel.Sdk kafkaTelemetrySdk;

    private BenchEvents generatedSdk;
    private BenchEvents generatedNoop;
    private BenchEvents generatedDropping;
    private BenchEvents generatedGlobal;
    private Otel.Sdk globalSdk;
    private Producer<byte[], byte[]> kafkaTelemetry;
    private Producer<byte[], byte[]> kafkaTelemetryNoop;

    private Tracer tutorialTracer;
    private TextMapPropagator tutorialPropagator;
    private Tracer floorTracer;
    private TextMapPropagator floorPropagator;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams params) {
        producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        // Default options, built before anything is registered globally (the usual order in DI containers).
        generatedGlobal = new TracedBenchEvents(producer);
        if (params.getBenchmark().endsWith(".generatedLateGlobal")) {
            globalSdk = Otel.sampleAll();
            GlobalOpenTelemetry.set(globalSdk.openTelemetry);
        }
        sampleAll = Otel.sampleAll();
        dropAll = Otel.dropAll();
        kafkaTelemetrySdk = Otel.sampleAll();

        generatedSdk = new TracedBenchEvents(producer, options(sampleAll.openTelemetry));
        generatedNoop = new TracedBenchEvents(producer, options(OpenTelemetry.noop()));
        generatedDropping = new TracedBenchEvents(producer, options(dropAll.openTelemetry));
        kafkaTelemetry = KafkaTelemetry.create(kafkaTelemetrySdk.openTelemetry).wrap(producer);
        kafkaTelemetryNoop = KafkaTelemetry.create(OpenTelemetry.noop()).wrap(producer);

        tutorialTracer = sampleAll.openTelemetry.getTracer("tutorial");
        tutorialPropagator = sampleAll.openTelemetry.getPropagators().getTextMapPropagator();
        floorTracer = sampleAll.openTelemetry.getTracer("floor");
        floorPropagator = sampleAll.openTelemetry.getPropagators().getTextMapPropagator();
    }

    private static TracewireOptions options(OpenTelemetry openTelemetry) {
        return TracewireOptions.builder().openTelemetry(openTelemetry).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        System.out.println("spans exported: tracewire/tutorial/floor SDK " + sampleAll.exporter.spans()
                + ", dropping SDK " + dropAll.exporter.spans()
                + ", KafkaTelemetry SDK " + kafkaTelemetrySdk.exporter.spans()
                + ", global SDK " + (globalSdk == null ? "(not registered)" : globalSdk.exporter.spans()));
        if (globalSdk != null) {
            globalSdk.close();
        }
        sampleAll.close();
        dropAll.close();
        kafkaTelemetrySdk.close();
        producer.close();
    }

    private void sent() {
        if (++sends == 1024) {
            sends = 0;
            producer.clear();
        }
    }

    private ProducerRecord<byte[], byte[]> record() {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TOPIC, value);
        record.headers().add("h", h);
        return record;
    }

    /** The baseline: build the record with its header and send it, no tracing. */
    @Benchmark
    public Future<RecordMetadata> rawSend() {
        Future<RecordMetadata> result = producer.send(record());
        sent();
        return result;
    }

    /** The generated publisher, void method (sendAndForget), SDK sampling everything. */
    @Benchmark
    public void generatedSdk() {
        generatedSdk.send(h, value);
        sent();
    }

    /** The generated publisher, method returning {@code CompletableFuture<RecordMetadata>}, SDK sampling everything. */
    @Benchmark
    public CompletableFuture<RecordMetadata> generatedSdkFuture() {
        CompletableFuture<RecordMetadata> result = generatedSdk.sendAsync(h, value);
        sent();
        return result;
    }

    /**
     * The generated publisher, void method, SDK sampling everything and measuring (a meter
     * provider with a periodic reader): {@link #generatedSdk} plus what the messaging metrics add.
     */
    @Benchmark
    public void generatedSdkMetrics(Metered metered) {
        metered.events.send(h, value);
        metered.sent();
    }

    /**
     * The generated publisher built with default options (the global {@code OpenTelemetry}) before
     * the SDK was registered globally, measured after the registration: the SDK sampling everything.
     */
    @Benchmark
    public void generatedLateGlobal() {
        generatedGlobal.send(h, value);
        sent();
    }

    /** The same publisher when nothing is ever registered globally: tracing off through the default options. */
    @Benchmark
    public void generatedGlobalUnset() {
        generatedGlobal.send(h, value);
        sent();
    }

    /** The generated publisher with {@code OpenTelemetry.noop()}. */
    @Benchmark
    public void generatedNoop() {
        generatedNoop.send(h, value);
        sent();
    }

    /** The generated publisher with the SDK and a sampler that drops everything. */
    @Benchmark
    public void generatedDropSampler() {
        generatedDropping.send(h, value);
        sent();
    }

    /**
     * The usual tutorial: a span with attributes set one by one, the context injected into a
     * {@code HashMap} and copied into the headers, the span ended in the send callback.
     */
    @Benchmark
    public Future<RecordMetadata> tutorial() {
        ProducerRecord<byte[], byte[]> record = record();
        Span span = tutorialTracer.spanBuilder("send " + record.topic()).setSpanKind(SpanKind.PRODUCER).startSpan();
        Scope scope = span.makeCurrent();
        try {
            span.setAttribute("messaging.system", "kafka");
            span.setAttribute("messaging.destination.name", record.topic());
            span.setAttribute("messaging.operation.type", "send");
            span.setAttribute("messaging.operation.name", "send");
            Map<String, String> carrier = new HashMap<>();
            tutorialPropagator.inject(Context.current(), carrier, Map::put);
            carrier.forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
            Future<RecordMetadata> result = producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    span.recordException(exception);
                    span.setStatus(StatusCode.ERROR);
                }
                span.end();
            });
            sent();
            return result;
        } finally {
            scope.close();
        }
    }

    /** OpenTelemetry's own instrumentation: {@code KafkaTelemetry.create(sdk).wrap(producer)}. */
    @Benchmark
    public Future<RecordMetadata> kafkaTelemetry() {
        Future<RecordMetadata> result = kafkaTelemetry.send(record());
        sent();
        return result;
    }

    /** The same wrapper over {@code OpenTelemetry.noop()}. */
    @Benchmark
    public Future<RecordMetadata> kafkaTelemetryNoop() {
        Future<RecordMetadata> result = kafkaTelemetryNoop.send(record());
        sent();
        return result;
    }

    /**
     * The measuring SDK and a producer of its own, made only for {@link #generatedSdkMetrics}, so
     * that the other rows' forks run no metric reader.
     */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Metered {
        private Otel.Sdk sdk;
        private MockProducer<byte[], byte[]> producer;
        private BenchEvents events;
        private int sends;

        @Setup(Level.Trial)
        public void setUp() {
            sdk = Otel.sampleAllMetered();
            producer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
            events = new TracedBenchEvents(producer, options(sdk.openTelemetry));
        }

        void sent() {
            if (++sends == 1024) {
                sends = 0;
                producer.clear();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            sdk.flushMetrics();
            System.out.println("metered SDK: spans exported " + sdk.exporter.spans() + ", metric points exported "
                    + sdk.metricExporter.points());
            sdk.close();
            producer.close();
        }
    }

    /**
     * The floor: a PRODUCER span with three attributes, its context injected into (fresh) record
     * headers, the span ended. No record, no send.
     */
    @Benchmark
    public Headers floor() {
        Headers headers = new RecordHeaders();
        Span span = floorTracer.spanBuilder("send bench")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_DESTINATION_NAME, TOPIC)
                .setAttribute(MESSAGING_OPERATION_TYPE, "send")
                .startSpan();
        floorPropagator.inject(Context.current().with(span), headers, ADD_HEADER);
        span.end();
        return headers;
    }

    /**
     * Informational: the floor with the attributes the generated publisher must set, four at span
     * start and partition and offset before the end (as the acknowledgement brings them), still
     * without a record or a send.
     */
    @Benchmark
    public Headers floorSameAttributes() {
        Headers headers = new RecordHeaders();
        Span span = floorTracer.spanBuilder("send bench")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(MESSAGING_SYSTEM, "kafka")
                .setAttribute(MESSAGING_DESTINATION_NAME, TOPIC)
                .setAttribute(MESSAGING_OPERATION_TYPE, "send")
                .setAttribute(MESSAGING_OPERATION_NAME, "send")
                .startSpan();
        floorPropagator.inject(Context.current().with(span), headers, ADD_HEADER);
        span.setAttribute(MESSAGING_DESTINATION_PARTITION_ID, "0");
        span.setAttribute(MESSAGING_KAFKA_OFFSET, sends + 1_000L);
        span.end();
        return headers;
    }
}
