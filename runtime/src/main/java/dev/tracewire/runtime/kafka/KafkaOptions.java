package dev.tracewire.runtime.kafka;

import dev.tracewire.runtime.AgentInstrumentation;
import dev.tracewire.runtime.SystemOptions;
import dev.tracewire.runtime.TracewireOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of generated Kafka publishers and consumers, given to
 * {@link TracewireOptions.Builder#with}; what is not given takes the defaults below.
 *
 * <pre>{@code
 * TracewireOptions.builder()
 *         .with(KafkaOptions.builder().captureMessageKey(false).pollTimeout(Duration.ofMillis(50)).build())
 *         .build();
 * }</pre>
 */
public final class KafkaOptions implements SystemOptions {

    private static final KafkaOptions DEFAULTS = builder().build();

    private final boolean captureMessageKey;
    private final Duration pollTimeout;
    private final Duration closeTimeout;
    private final AgentInstrumentation agentInstrumentation;
    private final KafkaDeadLetters deadLetters;

    private KafkaOptions(Builder builder) {
        this.captureMessageKey = builder.captureMessageKey;
        this.pollTimeout = builder.pollTimeout;
        this.closeTimeout = builder.closeTimeout;
        this.agentInstrumentation = builder.agentInstrumentation;
        this.deadLetters = builder.deadLetters;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka settings of {@code options}: those given to it, or the defaults. */
    public static KafkaOptions of(TracewireOptions options) {
        return options.settings(KafkaOptions.class).orElse(DEFAULTS);
    }

    /** Whether the string form of a record key is recorded as {@code messaging.kafka.message.key} (default {@code true}). */
    public boolean captureMessageKey() {
        return captureMessageKey;
    }

    /** The longest one poll of a consumer's loop blocks (default 100 ms); also how fast it notices a close. */
    public Duration pollTimeout() {
        return pollTimeout;
    }

    /**
     * The longest a consumer's {@code close()} takes (default 10 s). The record in flight has three
     * quarters of it to finish; a handler still running then is interrupted, and its record stays
     * uncommitted, to be delivered again. The rest is for committing what was handled and closing
     * the Kafka consumer, which is given no more than what is left, also when the broker is gone.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** Where dead letters go, or empty when none were configured. */
    public Optional<KafkaDeadLetters> deadLetters() {
        return Optional.ofNullable(deadLetters);
    }

    /**
     * What clients do about OpenTelemetry's Java agent (default {@link AgentInstrumentation#DETECT}):
     * where it instruments the Kafka client, a send's PRODUCER span is the agent's, and tracewire's
     * poll loops switch its per-record process spans off.
     */
    public AgentInstrumentation agentInstrumentation() {
        return agentInstrumentation;
    }

    public Builder toBuilder() {
        Builder builder = new Builder().captureMessageKey(captureMessageKey).pollTimeout(pollTimeout)
                .closeTimeout(closeTimeout).agentInstrumentation(agentInstrumentation);
        builder.deadLetters = deadLetters;
        return builder;
    }

    @Override
    public String toString() {
        return "KafkaOptions[captureMessageKey=" + captureMessageKey + ", pollTimeout=" + pollTimeout
                + ", closeTimeout=" + closeTimeout + ", agentInstrumentation=" + agentInstrumentation + ", deadLetters=" + (deadLetters != null) + "]";
    }

    /** Builds {@link KafkaOptions}. */
    public static final class Builder {
        private boolean captureMessageKey = true;
        private Duration pollTimeout = Duration.ofMillis(100);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private AgentInstrumentation agentInstrumentation = AgentInstrumentation.DETECT;
        private KafkaDeadLetters deadLetters;

        private Builder() {
        }

        /**
         * Where consumers publish the records their error policy dead-letters; a consumer whose
         * policy can dead-letter refuses to start without it.
         */
        public Builder deadLetters(KafkaDeadLetters deadLetters) {
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            return this;
        }

        /** Record record keys on spans (default {@code true}); turn off when keys are sensitive. */
        public Builder captureMessageKey(boolean captureMessageKey) {
            this.captureMessageKey = captureMessageKey;
            return this;
        }

        /** The longest one poll of a consumer's loop blocks (default 100 ms); also how fast it notices a close. */
        public Builder pollTimeout(Duration pollTimeout) {
            Objects.requireNonNull(pollTimeout, "pollTimeout");
            if (pollTimeout.isNegative() || pollTimeout.isZero()) {
                throw new IllegalArgumentException("pollTimeout must be positive, was " + pollTimeout);
            }
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** What clients do about OpenTelemetry's Java agent (default {@link AgentInstrumentation#DETECT}). */
        public Builder agentInstrumentation(AgentInstrumentation agentInstrumentation) {
            this.agentInstrumentation = Objects.requireNonNull(agentInstrumentation, "agentInstrumentation");
            return this;
        }

        /**
         * The longest a consumer's {@code close()} takes (default 10 s); see
         * {@link KafkaOptions#closeTimeout()} for what happens to a record still in flight then.
         */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative() || closeTimeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, was " + closeTimeout);
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        public KafkaOptions build() {
            return new KafkaOptions(this);
        }
    }
}
