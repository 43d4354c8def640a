package dev.tracewire.sample.infra;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * An {@link OpenTelemetrySdk} for the sample and its tests, never registered as the global one:
 * W3C trace-context and W3C baggage propagation, every span sampled, every finished span handed
 * synchronously to the caller's exporter (the sample's {@code SpanCollector}, a test's in-memory one), and, only when
 * {@value #ENDPOINT_VARIABLE} is set, also batched to an OTLP collector (Jaeger, Tempo, an
 * OpenTelemetry Collector...). Its metrics are read on demand ({@link #metrics()}), never exported.
 *
 * <p>OTLP settings follow the standard environment variables: {@value #ENDPOINT_VARIABLE}
 * (the collector's base URL, {@code /v1/traces} is appended for HTTP),
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full traces URL, used as is),
 * {@code OTEL_EXPORTER_OTLP_PROTOCOL} / {@code OTEL_EXPORTER_OTLP_TRACES_PROTOCOL}
 * ({@code http/protobuf}, the default, or {@code grpc}) and {@code OTEL_EXPORTER_OTLP_HEADERS}
 * ({@code key=value,key2=value2}). Nothing is exported over the network unless
 * {@value #ENDPOINT_VARIABLE} is set.
 */
public final class Telemetry implements AutoCloseable {

    /** Enables OTLP export when set. */
    public static final String ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static final String TRACES_ENDPOINT_VARIABLE = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    private static final String PROTOCOL_VARIABLE = "OTEL_EXPORTER_OTLP_PROTOCOL";
    private static final String TRACES_PROTOCOL_VARIABLE = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    private static final String HEADERS_VARIABLE = "OTEL_EXPORTER_OTLP_HEADERS";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    /** Where and how spans go over OTLP. */
    public record OtlpTarget(String protocol, String endpoint) {
    }

    private final OpenTelemetrySdk sdk;
    private final Optional<OtlpTarget> otlp;
    private final PullReader metrics;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Telemetry(OpenTelemetrySdk sdk, Optional<OtlpTarget> otlp, PullReader metrics) {
        this.sdk = sdk;
        this.otlp = otlp;
        this.metrics = metrics;
    }

    /** Builds the SDK, reading the OTLP settings from the process environment. */
    public static Telemetry create(String serviceName, SpanExporter exporter) {
        return create(serviceName, exporter, System.getenv());
    }

    /** Builds the SDK, reading the OTLP settings from {@code environment}. */
    public static Telemetry create(String serviceName, SpanExporter exporter, Map<String, String> environment) {
        if (serviceName == null || serviceName.isBlank()) {
            throw new IllegalArgumentException("a service name is required");
        }
        Resource resource = Resource.getDefault()
                .merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName)));
        SdkTracerProviderBuilder tracerProvider = SdkTracerProvider.builder()
                .setResource(resource)
                .setSampler(Sampler.alwaysOn())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter));
        Optional<OtlpTarget> otlp = otlpTarget(environment);
        otlp.ifPresent(target -> tracerProvider.addSpanProcessor(
                BatchSpanProcessor.builder(otlpExporter(target, headers(environment))).build()));
        PullReader metrics = new PullReader();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider.build())
                .setMeterProvider(SdkMeterProvider.builder().setResource(resource).registerMetricReader(metrics).build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        return new Telemetry(sdk, otlp, metrics);
    }

    /** The OTLP protocol and traces endpoint the environment asks for, if {@value #ENDPOINT_VARIABLE} is set. */
    static Optional<OtlpTarget> otlpTarget(Map<String, String> environment) {
        String base = nonBlank(environment.get(ENDPOINT_VARIABLE));
        if (base == null) {
            return Optional.empty();
        }
        String protocol = nonBlank(environment.get(TRACES_PROTOCOL_VARIABLE));
        if (protocol == null) {
            protocol = nonBlank(environment.get(PROTOCOL_VARIABLE));
        }
        protocol = protocol == null ? "http/protobuf" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("http/protobuf") && !protocol.equals("grpc")) {
            throw new IllegalArgumentException("unsupported OTLP protocol '" + protocol
                    + "' (use http/protobuf or grpc)");
        }
        String endpoint = nonBlank(environment.get(TRACES_ENDPOINT_VARIABLE));
        if (endpoint == null) {
            endpoint = protocol.equals("grpc") ? base
                    : (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/v1/traces";
        }
        return Optional.of(new OtlpTarget(protocol, endpoint));
    }

    private static Map<String, String> headers(Map<String, String> environment) {
        Map<String, String> headers = new LinkedHashMap<>();
        String value = nonBlank(environment.get(HEADERS_VARIABLE));
        if (value != null) {
            for (String pair : value.split(",")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    headers.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                }
            }
        }
        return headers;
    }

    private static SpanExporter otlpExporter(OtlpTarget target, Map<String, String> headers) {
        if (target.protocol().equals("grpc")) {
            OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder().setEndpoint(target.endpoint());
            headers.forEach(builder::addHeader);
            return builder.build();
        }
        OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder().setEndpoint(target.endpoint());
        headers.forEach(builder::addHeader);
        return builder.build();
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The SDK (also an {@link OpenTelemetry}), to pass to generated publishers and consumers. */
    public OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** A tracer of this SDK. */
    public Tracer tracer(String instrumentationScope) {
        return sdk.getTracer(instrumentationScope);
    }

    /** What this SDK measured so far: cumulative sums and histograms since it was built. */
    public Collection<MetricData> metrics() {
        return metrics.collect();
    }

    /** Where spans are also exported over OTLP, if anywhere. */
    public Optional<OtlpTarget> otlp() {
        return otlp;
    }

    /** Ends the SDK: flushes pending OTLP batches (bounded wait) and shuts the exporters down. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        CompletableResultCode result = sdk.shutdown();
        result.join(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A metric reader that collects when asked, and only then. */
    private static final class PullReader implements MetricReader {

        private volatile CollectionRegistration registration = CollectionRegistration.noop();

        @Override
        public void register(CollectionRegistration registration) {
            this.registration = registration;
        }

        Collection<MetricData> collect() {
            return registration.collectAllMetrics();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode forceFlush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
