package dev.tracewire.runtime;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a generated publisher or consumer traces and behaves. Immutable; build one with
 * {@link #builder()} or take {@link #defaults()}.
 *
 * <p>The settings here apply to every messaging system; those of one system come in its own
 * {@link SystemOptions} ({@code KafkaOptions}, {@code NatsOptions}), given with
 * {@link Builder#with(SystemOptions)}:
 *
 * <pre>{@code
 * TracewireOptions options = TracewireOptions.builder()
 *         .openTelemetry(openTelemetry)
 *         .errorPolicy(ErrorPolicy.retry(5, Duration.ofMillis(200), Duration.ofSeconds(5)).thenSkip())
 *         .with(KafkaOptions.builder().captureMessageKey(false).build())
 *         .build();
 * }</pre>
 */
public final class TracewireOptions {

    /** The longest header value {@link #capturedHeaders()} records, in characters. */
    public static final int MAX_HEADER_VALUE = 256;

    private final OpenTelemetry openTelemetry;
    private final boolean captureBodySize;
    private final ErrorPolicy errorPolicy;
    private final PayloadCarrier payloadCarrier;
    private final Map<Class<? extends SystemOptions>, SystemOptions> systems;
    private final List<String> capturedHeaders;
    private final boolean logCorrelation;

    private TracewireOptions(Builder builder) {
        this.openTelemetry = builder.openTelemetry;
        this.captureBodySize = builder.captureBodySize;
        this.errorPolicy = builder.errorPolicy;
        this.payloadCarrier = builder.payloadCarrier;
        this.systems = Map.copyOf(builder.systems);
        this.capturedHeaders = List.copyOf(builder.capturedHeaders);
        this.logCorrelation = builder.logCorrelation;
    }

    /**
     * The defaults: the global {@code OpenTelemetry} (looked up when a client needs it, never
     * installed by tracewire), body sizes not recorded, {@link ErrorPolicy#defaults()}, and each
     * system's default settings.
     */
    public static TracewireOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The {@code OpenTelemetry} whose tracer starts the spans and whose propagators carry the
     * context: the one given to {@link Builder#openTelemetry}, else the global one as it is now
     * ({@link GlobalOpenTelemetry#getOrNoop()}: a no-op one until the application registers its
     * SDK, and reading it never installs anything).
     */
    public OpenTelemetry openTelemetry() {
        return openTelemetry != null ? openTelemetry : GlobalOpenTelemetry.getOrNoop();
    }

    /**
     * Whether clients follow the global {@code OpenTelemetry}: a client built before the application
     * registers its SDK traces from the first message after the registration.
     */
    public boolean usesGlobalOpenTelemetry() {
        return openTelemetry == null;
    }

    /** Whether the serialized body size is recorded as {@code messaging.message.body.size}. */
    public boolean captureBodySize() {
        return captureBodySize;
    }

    /** What a consumer does with a message whose handler failed. */
    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /**
     * Where header-less peers carry the context in JSON payloads (default: the field
     * {@code _otel_trace_headers}, read but not embedded).
     */
    public PayloadCarrier payloadCarrier() {
        return payloadCarrier;
    }

    /** Whether publishers also embed the context in JSON payloads, for header-less peers. */
    public boolean embedContextInPayload() {
        return payloadCarrier.embedsOnPublish();
    }

    /** The JSON field that carries the context in payloads of header-less peers. */
    public String payloadContextField() {
        return payloadCarrier.contextField();
    }

    /**
     * The headers recorded on send and process spans as {@code messaging.header.<name>} (values as
     * strings, at most {@value #MAX_HEADER_VALUE} characters); none unless listed.
     */
    public List<String> capturedHeaders() {
        return capturedHeaders;
    }

    /**
     * Whether handlers run with {@code trace_id}, {@code span_id} and {@code trace_flags} of their
     * process span in the SLF4J MDC (default {@code true}; nothing happens without slf4j-api).
     */
    public boolean logCorrelation() {
        return logCorrelation;
    }

    /** The settings of one system as given to {@link Builder#with}, or empty to take its defaults. */
    public <T extends SystemOptions> Optional<T> settings(Class<T> type) {
        return Optional.ofNullable(type.cast(systems.get(type)));
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.openTelemetry = openTelemetry;
        builder.captureBodySize = captureBodySize;
        builder.errorPolicy = errorPolicy;
        builder.payloadCarrier = payloadCarrier;
        builder.systems.putAll(systems);
        builder.capturedHeaders.addAll(capturedHeaders);
        builder.logCorrelation = logCorrelation;
        return builder;
    }

    @Override
    public String toString() {
        return "TracewireOptions[openTelemetry=" + (openTelemetry == null ? "global" : openTelemetry)
                + ", captureBodySize=" + captureBodySize + ", errorPolicy=" + errorPolicy
                + ", payloadCarrier=" + payloadCarrier
                + ", capturedHeaders=" + capturedHeaders + ", logCorrelation=" + logCorrelation
                + ", systems=" + systems.values() + "]";
    }

    /** Builds {@link TracewireOptions}. */
    public static final class Builder {
        private OpenTelemetry openTelemetry;
        private boolean captureBodySize;
        private ErrorPolicy errorPolicy = ErrorPolicy.defaults();
        private PayloadCarrier payloadCarrier = PayloadCarrier.DEFAULT;
        private final Map<Class<? extends SystemOptions>, SystemOptions> systems = new LinkedHashMap<>();
        private final List<String> capturedHeaders = new ArrayList<>();
        private boolean logCorrelation = true;

        private Builder() {
        }

        /**
         * Record these headers on send and process spans as {@code messaging.header.<name>} (the
         * name in lower case; the last value as a string, cut at {@value #MAX_HEADER_VALUE}
         * characters). An explicit list: no header is recorded unless named here, and a name
         * matches a header spelled exactly so (Kafka's header names are case-sensitive).
         */
        public Builder captureHeaders(String... names) {
            for (String name : names) {
                if (name == null || name.isBlank()) {
                    throw new IllegalArgumentException("a captured header name must not be blank");
                }
                capturedHeaders.add(name);
            }
            return this;
        }

        /**
         * Put {@code trace_id}, {@code span_id} and {@code trace_flags} of the process span in the
         * SLF4J MDC while a handler runs, and restore what was there after (default {@code true};
         * needs slf4j-api on the class path, does nothing without it).
         */
        public Builder logCorrelation(boolean logCorrelation) {
            this.logCorrelation = logCorrelation;
            return this;
        }

        /**
         * The {@code OpenTelemetry} to trace with. Not set, clients follow the global one: they look
         * it up without installing a no-op one, so the application can register its SDK after
         * building them.
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Record serialized body sizes on spans (default {@code false}). */
        public Builder captureBodySize(boolean captureBodySize) {
            this.captureBodySize = captureBodySize;
            return this;
        }

        /** What consumers do when a handler fails (default {@link ErrorPolicy#defaults()}). */
        public Builder errorPolicy(ErrorPolicy errorPolicy) {
            this.errorPolicy = Objects.requireNonNull(errorPolicy, "errorPolicy");
            return this;
        }

        /**
         * Where header-less peers carry the context in JSON payloads, and whether publishers embed it
         * there too: a field beside the business fields or an envelope, see {@link PayloadCarrier}
         * (default {@code PayloadCarrier.field("_otel_trace_headers")}, not embedded). NATS clients
         * apply it to payloads as they encode and decode them; Kafka clients need their serializer
         * and deserializer wrapped with the same carrier ({@code KafkaPayloadCarrier}).
         */
        public Builder payloadCarrier(PayloadCarrier payloadCarrier) {
            this.payloadCarrier = Objects.requireNonNull(payloadCarrier, "payloadCarrier");
            return this;
        }

        /**
         * Also embed the context in JSON payloads, in the {@link #payloadCarrier(PayloadCarrier)}'s
         * shape (under {@code _otel_trace_headers} by default), for consumers that cannot read headers
         * (default {@code false}; needs Jackson). The same as
         * {@code payloadCarrier(carrier.embedOnPublish(embedContextInPayload))}.
         */
        public Builder embedContextInPayload(boolean embedContextInPayload) {
            this.payloadCarrier = payloadCarrier.embedOnPublish(embedContextInPayload);
            return this;
        }

        /**
         * The JSON field of header-less peers' payloads that carries the context (default
         * {@code _otel_trace_headers}), in the {@link #payloadCarrier(PayloadCarrier)}'s shape.
         * Consumers read it from messages without a valid context in their headers, and always
         * remove it before decoding.
         */
        public Builder payloadContextField(String payloadContextField) {
            this.payloadCarrier = payloadCarrier.withContextField(payloadContextField);
            return this;
        }

        /** The settings of one messaging system, replacing earlier ones of the same type. */
        public Builder with(SystemOptions settings) {
            Objects.requireNonNull(settings, "settings");
            systems.put(settings.getClass(), settings);
            return this;
        }

        public TracewireOptions build() {
            return new TracewireOptions(this);
        }
    }
}
