package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
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
 * The process lifecycle of a batch: one CONSUMER span with the message count, a link per message
 * that carries a context (with the adapter's link attributes), the body inside it, a failure
 * recorded on it, the caller's context back after.
 */
class ProcessOperationBatchTest {

    private static final AttributeKey<String> WHERE = AttributeKey.stringKey("test.where");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @Test
    void aBatchIsOneSpanLinkedToTheContextOfEachMessageThatCarriesOne() {
        ProcessOperation<Map<String, String>> operation = operation(sdk);
        Span first = sdk.getTracer("test").spanBuilder("send 1").startSpan();
        Span second = sdk.getTracer("test").spanBuilder("send 2").startSpan();
        List<Map<String, String>> batch = List.of(carrying(first, "a"), carrying(second, "b"), message("c"));
        AtomicReference<SpanContext> inBody = new AtomicReference<>();

        ProcessFailure failure = operation.processBatch(batch, "data", (messages, data) -> {
            assertThat(messages).isSameAs(batch);
            inBody.set(Span.current().getSpanContext());
        });

        assertThat(failure).isNull();
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("process orders");
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(span.getSpanId()).isEqualTo(inBody.get().getSpanId());
        assertThat(span.getParentSpanContext().isValid()).isFalse();
        assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.batch.message_count"))).isEqualTo(3L);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.consumer.group.name")))
                .isEqualTo("billing");
        assertThat(span.getLinks()).extracting(link -> link.getSpanContext().getSpanId())
                .containsExactly(first.getSpanContext().getSpanId(), second.getSpanContext().getSpanId());
        assertThat(span.getLinks()).extracting(link -> link.getAttributes().get(WHERE)).containsExactly("a", "b");
    }

    @Test
    void aFailedBatchIsRecordedOnItsSpanAndReturned() {
        ProcessOperation<Map<String, String>> operation = operation(sdk);
        IllegalStateException thrown = new IllegalStateException("ledger locked");

        ProcessFailure failure = operation.processBatch(List.of(message("a")), null, (messages, data) -> {
            throw thrown;
        });

        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertThat(failure.cause()).isSameAs(thrown);
        assertThat(failure.span().getSpanId()).isEqualTo(span.getSpanId());
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(IllegalStateException.class.getName());
    }

    @Test
    void withoutTracingTheBodyRunsAndAFailureIsReturned() {
        ProcessOperation<Map<String, String>> operation = operation(OpenTelemetry.noop());
        IllegalStateException thrown = new IllegalStateException("ledger locked");

        ProcessFailure failure = operation.processBatch(List.of(message("a")), null, (messages, data) -> {
            throw thrown;
        });

        assertThat(failure.cause()).isSameAs(thrown);
        assertThat(failure.span().isValid()).isFalse();
    }

    private static ProcessOperation<Map<String, String>> operation(OpenTelemetry openTelemetry) {
        return new ProcessOperation<>(Telemetry.of(TracewireOptions.builder().openTelemetry(openTelemetry)
                .logCorrelation(false).build()), "kafka", "orders", false, "billing", Endpoint.UNKNOWN,
                new MapAdapter());
    }

    private Map<String, String> carrying(Span producer, String where) {
        Map<String, String> message = message(where);
        sdk.getPropagators().getTextMapPropagator().inject(Context.root().with(producer), message, Map::put);
        return message;
    }

    private static Map<String, String> message(String where) {
        Map<String, String> message = new HashMap<>();
        message.put("where", where);
        return message;
    }

    /** A message that is nothing but its headers; its link says where it is. */
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

        @Override
        public Attributes linkAttributes(Map<String, String> message) {
            return Attributes.of(WHERE, message.get("where"));
        }
    }
}
