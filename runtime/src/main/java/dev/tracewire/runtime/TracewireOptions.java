package dev.tracewire.runtime;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a generated publisher or consumer traces and behaves. Immutable; build one with
 * {@link #builder()} or take {@link #defaults()}.
 *
 * <pre>{@code
 * TracewireOptions options = TracewireOptions.builder()
 *         .openTelemetry(openTelemetry)
 *         .captureMessageKey(false)
 *         .errorPolicy(ErrorPolicy.retry(5, Duration.ofMillis(200), Duration.ofSeconds(5)).thenStop())
 *         .build();
 * }</pre>
 */
public final class TracewireOptions {

    private final OpenTelemetry openTelemetry;
    private final boolean captureMessageKey;
    private final boolean captureBodySize;
    private final ErrorPolicy errorPolicy;
    private final Duration pollTimeout;
    private final Duration requestTimeout;
    private final Map<Class<?>, Codec<?>> codecs;
    private final boolean embedContextInPayload;
    private final String payloadContextField;

    private TracewireOptions(Builder builder) {
        this.openTelemetry = builder.openTelemetry != null ? builder.openTelemetry : GlobalOpenTelemetry.get();
        this.captureMessageKey = builder.captureMessageKey;
        this.captureBodySize = builder.captureBodySize;
        this.errorPolicy = builder.errorPolicy;
        this.pollTimeout = builder.pollTimeout;
        this.requestTimeout = builder.requestTimeout;
        this.codecs = Map.copyOf(builder.codecs);
        this.embedContextInPayload = builder.embedContextInPayload;
        this.payloadContextField = builder.payloadContextField;
    }

    /** The defaults: {@link GlobalOpenTelemetry}, keys captured, body sizes not, {@link ErrorPolicy#defaults()}. */
    public static TracewireOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code OpenTelemetry} whose tracer starts the spans and whose propagators carry the context. */
    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** Whether the string form of a Kafka record key is recorded as {@code messaging.kafka.message.key}. */
    public boolean captureMessageKey() {
        return captureMessageKey;
    }

    /** Whether the serialized body size is recorded as {@code messaging.message.body.size}. */
    public boolean captureBodySize() {
        return captureBodySize;
    }

    /** What a consumer does with a message whose handler failed. */
    public ErrorPolicy errorPolicy() {
        return errorPolicy;
    }

    /** The longest a consumer's poll loop blocks in one poll. */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /** How long a NATS request waits for its reply. */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The codec for a NATS payload type: one registered with {@link Builder#codec}, the built-in
     * one for {@code byte[]} and {@code String}, or JSON when Jackson is on the class path.
     *
     * @throws IllegalArgumentException when there is none, saying how to provide one
     */
    public <T> Codec<T> codecFor(Class<T> type) {
        return Codecs.choose(type, codecs);
    }

    /** Whether NATS publishers also embed the context in JSON object payloads, for header-less peers. */
    public boolean embedContextInPayload() {
        return embedContextInPayload;
    }

    /** The JSON field that carries the context in payloads of header-less peers. */
    public String payloadContextField() {
        return payloadContextField;
    }

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.openTelemetry = openTelemetry;
        builder.captureMessageKey = captureMessageKey;
        builder.captureBodySize = captureBodySize;
        builder.errorPolicy = errorPolicy;
        builder.pollTimeout = pollTimeout;
        builder.requestTimeout = requestTimeout;
        builder.codecs.putAll(codecs);
        builder.embedContextInPayload = embedContextInPayload;
        builder.payloadContextField = payloadContextField;
        return builder;
    }

    /** Builds {@link TracewireOptions}. */
    public static final class Builder {
        private OpenTelemetry openTelemetry;
        private boolean captureMessageKey = true;
        private boolean captureBodySize;
        private ErrorPolicy errorPolicy = ErrorPolicy.defaults();
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration requestTimeout = Duration.ofSeconds(5);
        private final Map<Class<?>, Codec<?>> codecs = new HashMap<>();
        private boolean embedContextInPayload;
        private String payloadContextField = "_otel_trace_headers";

        private Builder() {
        }

        /** The {@code OpenTelemetry} to trace with; {@link GlobalOpenTelemetry#get()} when not set. */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
            return this;
        }

        /** Record Kafka record keys on spans (default {@code true}); turn off when keys are sensitive. */
        public Builder captureMessageKey(boolean captureMessageKey) {
            this.captureMessageKey = captureMessageKey;
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

        /** The longest one poll of a consumer's loop blocks (default 100 ms); also how fast it notices a close. */
        public Builder pollTimeout(Duration pollTimeout) {
            if (pollTimeout.isNegative() || pollTimeout.isZero()) {
                throw new IllegalArgumentException("pollTimeout must be positive, was " + pollTimeout);
            }
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** How long a NATS request waits for its reply (default 5 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** Encodes and decodes NATS payloads of {@code type} with {@code codec}. */
        public <T> Builder codec(Class<T> type, Codec<T> codec) {
            codecs.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(codec, "codec"));
            return this;
        }

        /**
         * Also embed the context in JSON object payloads of NATS messages, under
         * {@link #payloadContextField(String)}, for consumers that cannot read headers (default
         * {@code false}; needs Jackson).
         */
        public Builder embedContextInPayload(boolean embedContextInPayload) {
            this.embedContextInPayload = embedContextInPayload;
            return this;
        }

        /**
         * The JSON field of header-less peers' payloads that carries the context (default
         * {@code _otel_trace_headers}). Consumers read it from messages without propagation headers
         * and remove it before decoding.
         */
        public Builder payloadContextField(String payloadContextField) {
            if (payloadContextField == null || payloadContextField.isBlank()) {
                throw new IllegalArgumentException("payloadContextField must not be blank");
            }
            this.payloadContextField = payloadContextField;
            return this;
        }

        public TracewireOptions build() {
            return new TracewireOptions(this);
        }
    }
}
