package dev.tracewire.runtime.kafka;

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
    private final KafkaDeadLetters deadLetters;

    private KafkaOptions(Builder builder) {
        this.captureMessageKey = builder.captureMessageKey;
        this.pollTimeout = builder.pollTimeout;
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

    /** Where dead letters go, or empty when none were configured. */
    public Optional<KafkaDeadLetters> deadLetters() {
        return Optional.ofNullable(deadLetters);
    }

    public Builder toBuilder() {
        Builder builder = new Builder().captureMessageKey(captureMessageKey).pollTimeout(pollTimeout);
        builder.deadLetters = deadLetters;
        return builder;
    }

    @Override
    public String toString() {
        return "KafkaOptions[captureMessageKey=" + captureMessageKey + ", pollTimeout=" + pollTimeout
                + ", deadLetters=" + (deadLetters != null) + "]";
    }

    /** Builds {@link KafkaOptions}. */
    public static final class Builder {
        private boolean captureMessageKey = true;
        private Duration pollTimeout = Duration.ofMillis(100);
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

        public KafkaOptions build() {
            return new KafkaOptions(this);
        }
    }
}
