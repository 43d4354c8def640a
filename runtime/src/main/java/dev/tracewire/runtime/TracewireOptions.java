package dev.tracewire.runtime;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
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

    private TracewireOptions(Builder builder) {
        this.openTelemetry = builder.openTelemetry != null ? builder.openTelemetry : GlobalOpenTelemetry.get();
        this.captureMessageKey = builder.captureMessageKey;
        this.captureBodySize = builder.captureBodySize;
        this.errorPolicy = builder.errorPolicy;
        this.pollTimeout = builder.pollTimeout;
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

    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.openTelemetry = openTelemetry;
        builder.captureMessageKey = captureMessageKey;
        builder.captureBodySize = captureBodySize;
        builder.errorPolicy = errorPolicy;
        builder.pollTimeout = pollTimeout;
        return builder;
    }

    /** Builds {@link TracewireOptions}. */
    public static final class Builder {
        private OpenTelemetry openTelemetry;
        private boolean captureMessageKey = true;
        private boolean captureBodySize;
        private ErrorPolicy errorPolicy = ErrorPolicy.defaults();
        private Duration pollTimeout = Duration.ofMillis(100);

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

        public TracewireOptions build() {
            return new TracewireOptions(this);
        }
    }
}
