package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.LegacyCorrelationPropagator;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The propagation policies in the shared lifecycles, which both messaging systems use: what a send
 * writes and which span it makes, what a process reads, which span the handler runs in and what the
 * propagation-health counter counts; and where a message's context comes from when its headers and
 * a payload field both may carry one.
 */
@SuppressWarnings("try") // the scopes are there to be closed
class PropagationPolicyTest {

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new MapAdapter();
    private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("tracewire.context.source");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    private final OpenTelemetrySdk sdk = sdk(W3CTraceContextPropagator.getInstance());
    private final Tracer tracer = sdk.getTracer("test");

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    // ---------------------------------------------------------------- sending

    @Test
    void propagateStartsASpanUnderTheCallerAndCarriesIt() {
        Span caller = tracer.spanBuilder("caller").startSpan();
        Map<String, String> message = new HashMap<>();
        Span span = send(Propagation.PROPAGATE).start(Context.root().with(caller), message);
        span.end();
        caller.end();

        SpanData sent = span("send orders");
        assertThat(sent.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(message).containsEntry("traceparent", traceparent(span.getSpanContext()));
        assertThat(send(Propagation.PROPAGATE).carriedFields(Context.root().with(caller), span))
                .containsEntry("traceparent", traceparent(span.getSpanContext()));
    }

    @Test
    void noneStartsTheSpanButWritesNoContext() {
        Span caller = tracer.spanBuilder("caller").startSpan();
        Map<String, String> message = new HashMap<>(Map.of("tenant", "acme"));
        SendOperation<Map<String, String>, Void> operation = send(Propagation.NONE);
        Span span = operation.start(Context.root().with(caller), message);
        span.end();
        caller.end();

        assertThat(span("send orders").getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(message).containsOnlyKeys("tenant");
        assertThat(operation.carriedFields(Context.root().with(caller), span)).isEmpty();
    }

    @Test
    void headersOnlyStartsNoSpanAndCarriesTheCallersContext() {
        Span caller = tracer.spanBuilder("caller").startSpan();
        Context callerContext = Context.root().with(caller);
        Map<String, String> message = new HashMap<>();
        SendOperation<Map<String, String>, Void> operation = send(Propagation.HEADERS_ONLY);
        Span span = operation.start(callerContext, message);
        operation.end(span, operation.clock(operation.instruments()), null, null);
        Map<String, String> withoutCaller = new HashMap<>();
        operation.start(Context.root(), withoutCaller);
        caller.end();

        assertThat(span.getSpanContext().isValid()).isFalse();
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("caller");
        assertThat(message).containsEntry("traceparent", traceparent(caller.getSpanContext()));
        assertThat(operation.carriedFields(callerContext, span))
                .containsEntry("traceparent", traceparent(caller.getSpanContext()));
        assertThat(withoutCaller).as("no current span: nothing to carry").isEmpty();
    }

    // ---------------------------------------------------------------- processing

    @Test
    void propagateRunsTheHandlerInAProcessSpanUnderTheCarriedContext() {
        Span producer = producer();
        ProcessOperation<Map<String, String>> operation = process(Propagation.PROPAGATE);
        Map<String, String> message = carrying(producer);
        AtomicReference<SpanContext> inHandler = new AtomicReference<>();

        ConsumerPropagation.Carried carried = operation.contexts().carried(message);
        operation.process(message, carried, null, (m, data) -> inHandler.set(Span.current().getSpanContext()));

        assertThat(carried.source()).isEqualTo(ContextSource.HEADER);
        SpanData process = span("process orders");
        assertThat(process.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
        assertThat(inHandler.get()).isEqualTo(process.getSpanContext());
        assertThat(counted()).containsExactly(Map.entry("header", 1L));
    }

    @Test
    void noneReadsNoContextCountsNothingAndStartsANewTrace() {
        Span producer = producer();
        ProcessOperation<Map<String, String>> operation = process(Propagation.NONE);
        Map<String, String> message = carrying(producer);
        Map<String, String> reply = new HashMap<>();

        ConsumerPropagation.Carried carried = operation.contexts().carried(message, Map.of("traceparent",
                traceparent(producer.getSpanContext())), MAP_GETTER);
        operation.process(message, carried, null, (m, data) -> operation.contexts().injectCurrent(reply, Map::put));

        assertThat(carried.context()).isSameAs(Context.root());
        assertThat(carried.source()).isNull();
        assertThat(operation.contexts().extract(message)).isSameAs(Context.root());
        SpanData process = span("process orders");
        assertThat(process.getParentSpanContext().isValid()).isFalse();
        assertThat(process.getTraceId()).isNotEqualTo(producer.getSpanContext().getTraceId());
        assertThat(reply).as("a reply carries no context either").isEmpty();
        assertThat(counted()).as("not counted by the propagation-health counter").isEmpty();
    }

    @Test
    void headersOnlyRunsTheHandlerInTheCarriedContextWithoutASpan() {
        Span producer = producer();
        ProcessOperation<Map<String, String>> operation = process(Propagation.HEADERS_ONLY);
        Map<String, String> message = carrying(producer);
        Map<String, String> reply = new HashMap<>();
        AtomicReference<SpanContext> inHandler = new AtomicReference<>();
        Context before = Context.current();

        ProcessFailure failure = operation.process(message, operation.contexts().carried(message), null, (m, data) -> {
            inHandler.set(Span.current().getSpanContext());
            operation.contexts().injectCurrent(reply, Map::put);
            throw new IllegalStateException("rejected");
        });

        assertThat(ids(inHandler.get())).isEqualTo(ids(producer.getSpanContext()));
        assertThat(inHandler.get().isRemote()).as("the producer's, as the message carried it").isTrue();
        assertThat(reply).containsEntry("traceparent", traceparent(producer.getSpanContext()));
        assertThat(ids(failure.span())).as("the span the message was handled in").isEqualTo(ids(producer.getSpanContext()));
        assertThat(Context.current()).isSameAs(before);
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("send orders");
        assertThat(counted()).containsExactly(Map.entry("header", 1L));
    }

    @Test
    void headersOnlyLeavesAnInstrumentationsSpanForTheMessageCurrent() throws Exception {
        Span producer = producer();
        ProcessOperation<Map<String, String>> operation = process(Propagation.HEADERS_ONLY);
        operation.adoptInstrumentedSpans();
        Map<String, String> message = carrying(producer);
        Context carried = operation.contexts().extract(message);
        Span instrumented = tracer.spanBuilder("orders process").setSpanKind(SpanKind.CONSUMER).setParent(carried)
                .startSpan();
        AtomicReference<SpanContext> inHandler = new AtomicReference<>();
        try (Scope ignored = carried.with(instrumented).makeCurrent()) {
            operation.process(message, carried, ContextSource.HEADER, null,
                    (m, data) -> inHandler.set(Span.current().getSpanContext()));
        } finally {
            instrumented.end();
        }

        assertThat(inHandler.get()).isEqualTo(instrumented.getSpanContext());
        assertThat(span("orders process").getAttributes().get(AttributeKey.stringKey("messaging.system")))
                .as("left as the instrumentation made it").isNull();
    }

    // ---------------------------------------------------------------- what carried the context

    @Test
    void aPayloadFieldIsReadOnlyWhenTheHeadersCarryNoValidContext() {
        Span fromHeaders = producer();
        Span fromPayload = producer();
        ProcessOperation<Map<String, String>> operation = process(Propagation.PROPAGATE);
        Map<String, String> payload = Map.of("traceparent", traceparent(fromPayload.getSpanContext()));

        ConsumerPropagation.Carried both = operation.contexts().carried(carrying(fromHeaders), payload, MAP_GETTER);
        ConsumerPropagation.Carried payloadOnly = operation.contexts().carried(new HashMap<>(), payload, MAP_GETTER);
        ConsumerPropagation.Carried brokenHeader = operation.contexts().carried(new HashMap<>(Map.of("traceparent", "00-garbage")),
                payload, MAP_GETTER);
        ConsumerPropagation.Carried brokenPayload = operation.contexts().carried(new HashMap<>(),
                Map.of("traceparent", "00-garbage"), MAP_GETTER);
        ConsumerPropagation.Carried emptyField = operation.contexts().carried(new HashMap<>(), Map.of(), MAP_GETTER);
        ConsumerPropagation.Carried noField = operation.contexts().carried(new HashMap<>(), null, MAP_GETTER);

        assertThat(both.source()).isEqualTo(ContextSource.HEADER);
        assertThat(spanContext(both)).isEqualTo(fromHeaders.getSpanContext().getSpanId());
        assertThat(payloadOnly.source()).isEqualTo(ContextSource.PAYLOAD);
        assertThat(spanContext(payloadOnly)).isEqualTo(fromPayload.getSpanContext().getSpanId());
        assertThat(brokenHeader.source()).isEqualTo(ContextSource.PAYLOAD);
        assertThat(brokenPayload.source()).isEqualTo(ContextSource.INVALID);
        assertThat(emptyField.source()).as("a field without a context").isEqualTo(ContextSource.INVALID);
        assertThat(noField.source()).isEqualTo(ContextSource.ABSENT);
    }

    @Test
    void aContextTheLegacyPropagatorReadIsCountedAsLegacyAndAW3cOneAsHeader() {
        try (OpenTelemetrySdk composite = sdk(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                LegacyCorrelationPropagator.builder().serviceName("billing").build()))) {
            ProcessOperation<Map<String, String>> operation = new ProcessOperation<>(
                    Telemetry.of(TracewireOptions.builder().openTelemetry(composite).build()), "kafka", "orders",
                    false, "billing", Endpoint.UNKNOWN, new MapAdapter());
            Map<String, String> legacy = new HashMap<>(Map.of("trace_id", "12345678-1234-4000-8000-123456789012"));
            Map<String, String> both = new HashMap<>(legacy);
            Span producer = producer();
            both.put("traceparent", traceparent(producer.getSpanContext()));

            ConsumerPropagation.Carried fromLegacy = operation.contexts().carried(legacy);
            ConsumerPropagation.Carried fromW3c = operation.contexts().carried(both);

            assertThat(fromLegacy.source()).isEqualTo(ContextSource.LEGACY);
            assertThat(Span.fromContext(fromLegacy.context()).getSpanContext().getTraceId())
                    .isEqualTo("12345678123440008000123456789012");
            assertThat(fromW3c.source()).isEqualTo(ContextSource.HEADER);
            assertThat(ids(Span.fromContext(fromW3c.context()).getSpanContext())).isEqualTo(ids(producer.getSpanContext()));
        }
    }

    // ---------------------------------------------------------------- helpers

    private OpenTelemetrySdk sdk(TextMapPropagator propagator) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
                .setPropagators(ContextPropagators.create(propagator))
                .build();
    }

    private SendOperation<Map<String, String>, Void> send(Propagation propagation) {
        return new SendOperation<>(Telemetry.of(TracewireOptions.builder().openTelemetry(sdk).build()), "kafka", "send",
                "orders", Endpoint.UNKNOWN, new MapSender(), propagation);
    }

    private ProcessOperation<Map<String, String>> process(Propagation propagation) {
        return new ProcessOperation<>(Telemetry.of(TracewireOptions.builder().openTelemetry(sdk).build()), "kafka",
                "orders", false, "billing", Endpoint.UNKNOWN, new MapAdapter(), null, propagation);
    }

    private Span producer() {
        Span producer = tracer.spanBuilder("send orders").setSpanKind(SpanKind.PRODUCER).startSpan();
        producer.end();
        return producer;
    }

    private Map<String, String> carrying(Span producer) {
        Map<String, String> message = new HashMap<>();
        sdk.getPropagators().getTextMapPropagator().inject(Context.root().with(producer), message, Map::put);
        return message;
    }

    private SpanData span(String name) {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + exporter.getFinishedSpanItems()));
    }

    private static String spanContext(ConsumerPropagation.Carried carried) {
        return Span.fromContext(carried.context()).getSpanContext().getSpanId();
    }

    private static String ids(SpanContext span) {
        return span.getTraceId() + "-" + span.getSpanId();
    }

    private static String traceparent(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    /** The propagation-health counter's counts, by source. */
    private Map<String, Long> counted() {
        Map<String, Long> counts = new TreeMap<>();
        for (MetricData metric : metrics.collectAllMetrics()) {
            if (metric.getName().equals("tracewire.propagation.messages")) {
                for (LongPointData point : metric.getLongSumData().getPoints()) {
                    counts.merge(point.getAttributes().get(SOURCE), point.getValue(), Long::sum);
                }
            }
        }
        return counts;
    }

    /** A message that is nothing but its headers. */
    private static final class MapAdapter implements ProcessAdapter<Map<String, String>> {
        @Override
        public Iterable<String> keys(Map<String, String> message) {
            return message.keySet();
        }

        @Override
        public String get(Map<String, String> message, String key) {
            return message == null ? null : message.get(key);
        }

        @Override
        public void addStartAttributes(SpanBuilder span, Map<String, String> message) {
        }
    }

    private static final class MapSender implements SendAdapter<Map<String, String>, Void> {
        @Override
        public void set(Map<String, String> message, String key, String value) {
            message.put(key, value);
        }

        @Override
        public void addStartAttributes(SpanBuilder span, Map<String, String> message) {
        }

        @Override
        public void addAckAttributes(Span span, Void ack) {
        }

        @Override
        public String header(Map<String, String> message, String name) {
            return message.get(name);
        }
    }
}
