package dev.tracewire.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.kafka.internal.KafkaHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The legacy correlation headers of the ingestion service: a UUID {@code trace_id} continues a
 * trace whose id is the UUID's bits and goes out again as the same UUID; the service chain grows by
 * this service, once; headers are replaced, not duplicated; and a W3C context wins over a legacy
 * one in the composite a migrating service runs.
 */
class LegacyCorrelationPropagatorTest {

    private static final String UUID = "12345678-1234-4000-8000-123456789012";
    private static final String TRACE_ID = "12345678123440008000123456789012";
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final LegacyCorrelationPropagator billing = LegacyCorrelationPropagator.builder()
            .serviceName("billing").build();

    @Test
    void aUuidTraceIdContinuesThatTraceAndGoesOutAsTheSameUuid() {
        Context extracted = billing.extract(Context.root(), Map.of("trace_id", UUID,
                "services_encountered", "client-app,api-gateway,ingestion-api", "producer_service", "ingestion-api"),
                GETTER);

        SpanContext parent = Span.fromContext(extracted).getSpanContext();
        assertThat(parent.isValid()).isTrue();
        assertThat(parent.isRemote()).isTrue();
        assertThat(parent.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(parent.getSpanId()).as("the UUID's last 64 bits stand in").isEqualTo("8000123456789012");
        assertThat(parent.isSampled()).isTrue();
        assertThat(LegacyCorrelationPropagator.isLegacyContext(extracted)).isTrue();
        assertThat(LegacyCorrelationPropagator.servicesEncountered(extracted))
                .containsExactly("client-app", "api-gateway", "ingestion-api");

        Map<String, String> out = new HashMap<>();
        billing.inject(extracted, out, Map::put);
        assertThat(out).containsOnly(Map.entry("trace_id", UUID),
                Map.entry("services_encountered", "client-app,api-gateway,ingestion-api,billing"),
                Map.entry("producer_service", "billing"));
    }

    @Test
    void aTraceIdGoesOutAsAUuidAndComesBackAsTheSameTraceId() {
        SpanContext span = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        Map<String, String> out = new HashMap<>();

        billing.inject(Context.root().with(Span.wrap(span)), out, Map::put);
        Context back = billing.extract(Context.root(), out, GETTER);

        assertThat(out).containsEntry("trace_id", "4bf92f35-77b3-4da6-a3ce-929d0e0e4736")
                .containsEntry("services_encountered", "billing").containsEntry("producer_service", "billing");
        assertThat(Span.fromContext(back).getSpanContext().getTraceId()).isEqualTo(span.getTraceId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "not-a-uuid", "12345678-1234-4000-8000-12345678901", "12345678123440008000123456789012ff",
        "12345678_1234_4000_8000_123456789012", "g2345678-1234-4000-8000-123456789012", "00000000-0000-0000-0000-000000000000"})
    void aTraceIdThatIsNotAUuidContinuesNothing(String malformed) {
        Context extracted = billing.extract(Context.root(), Map.of("trace_id", malformed,
                "services_encountered", "ingestion-api"), GETTER);

        assertThat(Span.fromContext(extracted).getSpanContext().isValid()).isFalse();
        assertThat(LegacyCorrelationPropagator.isLegacyContext(extracted)).isFalse();
        assertThat(LegacyCorrelationPropagator.servicesEncountered(extracted)).containsExactly("ingestion-api");
    }

    @Test
    void upperCaseAndUndashedUuidsAreRead() {
        assertThat(traceIdOf(Map.of("trace_id", UUID.toUpperCase()))).isEqualTo(TRACE_ID);
        assertThat(traceIdOf(Map.of("trace_id", TRACE_ID))).isEqualTo(TRACE_ID);
        assertThat(traceIdOf(Map.of("X-Trace-ID", " " + UUID + " "))).as("HTTP style, padded").isEqualTo(TRACE_ID);
        assertThat(traceIdOf(Map.of("trace_id", "12345678-1234-4000-8000-000000000000")))
                .isEqualTo("12345678123440008000000000000000");
    }

    @Test
    void theChainGrowsByThisServiceOnceAndNeverByAnEmptyName() {
        SpanContext span = SpanContext.create(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());
        Context received = billing.extract(Context.root(), Map.of("trace_id", UUID,
                "services_encountered", " client-app ,, api-gateway,billing"), GETTER);
        Map<String, String> first = new HashMap<>();
        billing.inject(received.with(Span.wrap(span)), first, Map::put);
        Map<String, String> second = new HashMap<>();
        billing.inject(billing.extract(Context.root(), first, GETTER).with(Span.wrap(span)), second, Map::put);

        assertThat(first).containsEntry("services_encountered", "client-app,api-gateway,billing");
        assertThat(second).containsEntry("services_encountered", "client-app,api-gateway,billing");
    }

    @Test
    void injectingReplacesTheHeadersARecordCameWith() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace_id", "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa".getBytes(UTF_8));
        headers.add("services_encountered", "old".getBytes(UTF_8));
        headers.add("producer_service", "old".getBytes(UTF_8));
        SpanContext span = SpanContext.create(TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());

        billing.inject(Context.root().with(Span.wrap(span)), headers, KafkaHeaders::put);

        List<String> names = new ArrayList<>();
        for (Header header : headers) {
            names.add(header.key());
        }
        assertThat(names).containsExactlyInAnyOrder("trace_id", "services_encountered", "producer_service");
        assertThat(KafkaHeaders.lastString(headers, "trace_id")).isEqualTo(UUID);
        assertThat(KafkaHeaders.lastString(headers, "services_encountered")).isEqualTo("billing");
    }

    @Test
    void nothingIsWrittenWithoutAValidSpan() {
        Map<String, String> out = new HashMap<>();
        billing.inject(billing.extract(Context.root(), Map.of("services_encountered", "a"), GETTER), out, Map::put);
        assertThat(out).isEmpty();
    }

    @Test
    void httpStyleWritesTheHttpNames() {
        LegacyCorrelationPropagator http = LegacyCorrelationPropagator.builder().serviceName("gateway")
                .headerStyle(LegacyCorrelationPropagator.HeaderStyle.HTTP).build();
        Context received = http.extract(Context.root(), Map.of("X-Trace-ID", UUID, "X-Services-Encountered", "client-app"),
                GETTER);
        Map<String, String> out = new HashMap<>();

        http.inject(received, out, Map::put);

        assertThat(out).containsOnly(Map.entry("X-Trace-ID", UUID),
                Map.entry("X-Services-Encountered", "client-app,gateway"));
    }

    @Test
    void inTheMigrationCompositeW3cWinsAndTheChainIsKept() {
        TextMapPropagator composite = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), billing);
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Context both = composite.extract(Context.root(), Map.of("traceparent", traceparent, "trace_id", UUID,
                "services_encountered", "ingestion-api"), GETTER);
        Context legacyOnly = composite.extract(Context.root(), Map.of("trace_id", UUID), GETTER);
        Map<String, String> out = new HashMap<>();
        composite.inject(both, out, Map::put);

        assertThat(Span.fromContext(both).getSpanContext().getSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(LegacyCorrelationPropagator.isLegacyContext(both)).isFalse();
        assertThat(LegacyCorrelationPropagator.isLegacyContext(legacyOnly)).isTrue();
        assertThat(out).containsEntry("traceparent", traceparent)
                .containsEntry("trace_id", "0af76519-16cd-43dd-8448-eb211c80319c")
                .containsEntry("services_encountered", "ingestion-api,billing");
        assertThat(composite.fields()).contains("traceparent", "trace_id", "services_encountered", "producer_service",
                "X-Trace-ID", "X-Services-Encountered");
    }

    @Test
    void theServiceNameComesFromTheBuilderOrOpenTelemetrysConfiguration() {
        String before = System.getProperty("otel.service.name");
        try {
            System.setProperty("otel.service.name", "from-property");
            assertThat(LegacyCorrelationPropagator.builder().build().serviceName()).isEqualTo("from-property");
            assertThat(LegacyCorrelationPropagator.builder().serviceName("given").build().serviceName())
                    .isEqualTo("given");
        } finally {
            if (before == null) {
                System.clearProperty("otel.service.name");
            } else {
                System.setProperty("otel.service.name", before);
            }
        }
        assertThatThrownBy(() -> LegacyCorrelationPropagator.builder().serviceName("a,b"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private String traceIdOf(Map<String, String> headers) {
        return Span.fromContext(billing.extract(Context.root(), headers, GETTER)).getSpanContext().getTraceId();
    }
}
