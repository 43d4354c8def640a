package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A process lifecycle that adopts instrumented spans (as beside OpenTelemetry's Java agent) takes
 * the span an instrumentation opened around the handler for the message as its process span, and
 * starts its own only where there is none for that message.
 */
@SuppressWarnings("try") // the scopes are there to be closed
class ProcessOperationAdoptionTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final Tracer tracer = sdk.getTracer("instrumentation");
    private final ProcessOperation<Map<String, String>> operation = new ProcessOperation<>(
            Telemetry.of(TracewireOptions.builder().openTelemetry(sdk).build()), "kafka", "orders", false, "billing",
            Endpoint.UNKNOWN, new MapAdapter());

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @Test
    void theInstrumentationsSpanForTheMessageIsTheProcessSpan() throws Exception {
        operation.adoptInstrumentedSpans();
        Span producer = tracer.spanBuilder("send orders").setSpanKind(SpanKind.PRODUCER).startSpan();
        Map<String, String> message = carrying(producer);
        producer.end();
        Context carried = operation.contexts().extract(message);
        Span instrumented = tracer.spanBuilder("orders process").setSpanKind(SpanKind.CONSUMER).setParent(carried)
                .startSpan();
        AtomicReference<SpanContext> inHandler = new AtomicReference<>();
        ProcessFailure failure;
        try (Scope ignored = carried.with(instrumented).makeCurrent()) {
            failure = operation.process(message, carried, ContextSource.HEADER, null, (m, data) -> {
                inHandler.set(Span.current().getSpanContext());
                throw new IllegalStateException("rejected");
            });
            assertThat(Span.current()).as("the instrumentation's span stays current until it closes its scope")
                    .isSameAs(instrumented);
        } finally {
            instrumented.end();
        }

        assertThat(inHandler.get()).isEqualTo(instrumented.getSpanContext());
        assertThat(failure.span()).isEqualTo(instrumented.getSpanContext());
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).as("no span of tracewire's beside the instrumentation's")
                .extracting(SpanData::getName).containsExactlyInAnyOrder("send orders", "orders process");
        SpanData process = spans.stream().filter(span -> span.getName().equals("orders process")).findFirst()
                .orElseThrow();
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")))
                .as("tracewire's start attributes").isEqualTo("billing");
    }

    @Test
    void withoutAnInstrumentationsSpanForTheMessageItStartsItsOwn() throws Exception {
        operation.adoptInstrumentedSpans();
        Span producer = tracer.spanBuilder("send orders").setSpanKind(SpanKind.PRODUCER).startSpan();
        Map<String, String> message = carrying(producer);
        producer.end();
        Context carried = operation.contexts().extract(message);
        Span unrelated = tracer.spanBuilder("a span of another trace").startSpan();
        try (Scope ignored = unrelated.makeCurrent()) {
            assertThat(operation.process(message, carried, ContextSource.HEADER, null, (m, data) -> { })).isNull();
        } finally {
            unrelated.end();
        }
        assertThat(operation.process(message, carried, ContextSource.HEADER, null, (m, data) -> { })).isNull();

        List<SpanData> own = exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("process orders")).toList();
        assertThat(own).as("tracewire's process spans: under another trace's span, and with none current").hasSize(2)
                .allSatisfy(span -> {
                    assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
                    assertThat(span.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
                });
    }

    @Test
    void withoutAdoptionTracewireStartsItsOwnSpanUnderTheCarriedContext() throws Exception {
        Span producer = tracer.spanBuilder("send orders").setSpanKind(SpanKind.PRODUCER).startSpan();
        Map<String, String> message = carrying(producer);
        producer.end();
        Context carried = operation.contexts().extract(message);
        Span instrumented = tracer.spanBuilder("orders process").setParent(carried).startSpan();
        try (Scope ignored = carried.with(instrumented).makeCurrent()) {
            operation.process(message, carried, ContextSource.HEADER, null, (m, data) -> { });
        } finally {
            instrumented.end();
        }
        SpanData own = exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals("process orders"))
                .findFirst().orElseThrow();
        assertThat(own.getParentSpanId()).isEqualTo(producer.getSpanContext().getSpanId());
    }

    private Map<String, String> carrying(Span producer) {
        Map<String, String> message = new HashMap<>();
        sdk.getPropagators().getTextMapPropagator().inject(Context.root().with(producer), message, Map::put);
        return message;
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
}
