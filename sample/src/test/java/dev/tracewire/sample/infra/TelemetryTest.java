package dev.tracewire.sample.infra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

class TelemetryTest {

    private record Request(String path, String contentType, String header, byte[] body) {
    }

    @Test
    void sendsSpansToTheExporterAndPropagatesW3cContextAndBaggage() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (Telemetry telemetry = Telemetry.create("orders-service", exporter, Map.of())) {
            assertThat(telemetry.otlp()).isEmpty();
            Span span = telemetry.tracer("test").spanBuilder("work").startSpan();
            Map<String, String> carrier = new HashMap<>();
            TextMapSetter<Map<String, String>> setter = Map::put;
            Context context = Context.root().with(span)
                    .with(Baggage.builder().put("tenant", "acme").build());
            telemetry.sdk().getPropagators().getTextMapPropagator().inject(context, carrier, setter);
            span.end();

            // Flags are 03 with SDK 1.65: sampled (01) plus W3C level 2's "random trace id" (02).
            assertThat(span.getSpanContext().isSampled()).isTrue();
            assertThat(carrier.get("traceparent")).isEqualTo("00-" + span.getSpanContext().getTraceId() + "-"
                    + span.getSpanContext().getSpanId() + "-" + span.getSpanContext().getTraceFlags().asHex());
            assertThat(carrier.get("baggage")).isEqualTo("tenant=acme");
            assertThat(exporter.getFinishedSpanItems()).singleElement().satisfies(data -> {
                assertThat(data.getName()).isEqualTo("work");
                assertThat(data.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                        .isEqualTo("orders-service");
            });
        }
    }

    @Test
    void alsoExportsOverOtlpHttpWhenTheEndpointIsSet() throws Exception {
        List<Request> requests = new CopyOnWriteArrayList<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                in.transferTo(body);
                requests.add(new Request(exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("X-Token"), body.toByteArray()));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort() + "/";
            InMemorySpanExporter exporter = InMemorySpanExporter.create();
            Telemetry telemetry = Telemetry.create("otlp-service", exporter, Map.of(
                    Telemetry.ENDPOINT_VARIABLE, endpoint,
                    "OTEL_EXPORTER_OTLP_HEADERS", "X-Token=secret"));
            assertThat(telemetry.otlp()).contains(new Telemetry.OtlpTarget(
                    "http/protobuf", "http://127.0.0.1:" + collector.getAddress().getPort() + "/v1/traces"));
            telemetry.tracer("test").spanBuilder("exported-span").startSpan().end();
            assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("exported-span");

            telemetry.close(); // flushes the batch
            telemetry.close();

            assertThat(requests).singleElement().satisfies(request -> {
                assertThat(request.path()).isEqualTo("/v1/traces");
                assertThat(request.contentType()).isEqualTo("application/x-protobuf");
                assertThat(request.header()).isEqualTo("secret");
                String body = new String(request.body(), UTF_8); // protobuf strings are plain UTF-8
                assertThat(body).contains("exported-span").contains("otlp-service");
            });
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void readsItsMetricsWhenAskedWithTheServiceName() {
        try (Telemetry telemetry = Telemetry.create("metered-service", InMemorySpanExporter.create(), Map.of())) {
            assertThat(telemetry.metrics()).isEmpty();
            LongCounter counter = telemetry.sdk().getMeter("test").counterBuilder("test.messages").build();
            counter.add(2, Attributes.of(AttributeKey.stringKey("source"), "header"));
            counter.add(3, Attributes.of(AttributeKey.stringKey("source"), "header"));

            assertThat(telemetry.metrics()).singleElement().satisfies(metric -> {
                assertThat(metric.getName()).isEqualTo("test.messages");
                assertThat(metric.getResource().getAttribute(AttributeKey.stringKey("service.name")))
                        .isEqualTo("metered-service");
                assertThat(metric.getLongSumData().getPoints()).singleElement()
                        .satisfies(point -> assertThat(point.getValue()).isEqualTo(5));
            });
            counter.add(1, Attributes.of(AttributeKey.stringKey("source"), "header"));
            assertThat(telemetry.metrics()).as("cumulative").singleElement().satisfies(metric -> assertThat(
                    metric.getLongSumData().getPoints()).singleElement()
                    .satisfies(point -> assertThat(point.getValue()).isEqualTo(6)));
        }
    }

    @Test
    void resolvesTheOtlpTargetFromTheStandardVariables() {
        assertThat(Telemetry.otlpTarget(Map.of())).isEmpty();
        assertThat(Telemetry.otlpTarget(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isEmpty();
        assertThat(Telemetry.otlpTarget(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces")))
                .as("only the base variable turns export on").isEmpty();
        assertThat(Telemetry.otlpTarget(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")))
                .contains(new Telemetry.OtlpTarget("http/protobuf", "http://collector:4318/v1/traces"));
        assertThat(Telemetry.otlpTarget(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://other:4318/custom")))
                .contains(new Telemetry.OtlpTarget("http/protobuf", "http://other:4318/custom"));
        assertThat(Telemetry.otlpTarget(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
                .contains(new Telemetry.OtlpTarget("grpc", "http://collector:4317"));
        assertThatThrownBy(() -> Telemetry.otlpTarget(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http/json");
    }
}
