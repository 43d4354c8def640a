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

    static final String DEFAULT_PAYLOAD_CONTEXT_FIELD = "_otel_trace_headers";

    /** The longest header value {@link #capturedHeaders()} records, in characters. */
    public static final int MAX_HEADER_VALUE = 256;

    private final OpenTelemetry openTelemetry;
    private final boolean captureBodySize;
    private final ErrorPolicy errorPolicy;
    private final boolean embedContextInPayload;
    private final String payloadContextField;
    private final Map<Class<? extends SystemOptions>, SystemOptions> systems;
    private final List<String> capturedHeaders;
    private final boolean logCorrelation;

    private TracewireOptions(Builder builder) {
        this.openTelemetry = builder.openTelemetry;
        this.captureBodySize = builder.captureBodySize;
        this.errorPolicy = builder.errorPolicy;
        this.embedContextInPayload = builder.embedContextInPayload;
        this.payloadContextField = builder.payloadContextField;
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

    /** Whether publishers also embed the context in JSON object payloads, for header-less peers. */
    public boolean embedContextInPayload() {
        return embedContextInPayload;
    }

    /** The JSON field that carries the context in payloads of header-less peers. */
    public String payloadContextField() {
        return payloadContextField;
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
        builder.embedContextInPayload = embedContextInPayload;
        builder.payloadContextField = payloadContextField;
        builder.systems.putAll(systems);
        builder.capturedHeaders.addAll(capturedHeaders);
        builder.logCorrelation = logCorrelation;
        return builder;
    }

    @Override
    public String toString() {
        return "TracewireOptions[openTelemetry=" + (openTelemetry == null ? "global" : openTelemetry)
                + ", captureBodySize=" + captureBodySize + ", errorPolicy=" + errorPolicy
                + ", embedContextInPayload=" + embedContextInPayload + ", payloadContextField=" + payloadContextField
                + ", capturedHeaders=" + capturedHeaders + ", logCorrelation=" + logCorrelation
                + ", systems=" + systems.values() + "]";
    }

    /** Builds {@link TracewireOptions}. */
    public static final class Builder {
        private OpenTelemetry openTelemetry;
        private boolean captureBodySize;
        private ErrorPolicy errorPolicy = ErrorPolicy.defaults();
        private boolean embedContextInPayload;
        private String payloadContextField = DEFAULT_PAYLOAD_CONTEXT_FIELD;
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
         * Also embed the context in JSON object payloads, under {@link #payloadContextField(String)},
         * for consumers that cannot read headers (default {@code false}; needs Jackson). NATS
         * publishers honour it.
         */
        public Builder embedContextInPayload(boolean embedContextInPayload) {
            this.embedContextInPayload = embedContextInPayload;
            return this;
        }

        /**
         * The JSON field of header-less peers' payloads that carries the context (default
         * {@code _otel_trace_headers}). NATS consumers read it from messages without propagation
         * headers and remove it before decoding.
         */
        public Builder payloadContextField(String payloadContextField) {
            if (payloadContextField == null || payloadContextField.isBlank()) {
                throw new IllegalArgumentException("payloadContextField must not be blank");
            }
            this.payloadContextField = payloadContextField;
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
