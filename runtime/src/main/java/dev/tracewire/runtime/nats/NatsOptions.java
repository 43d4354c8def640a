package dev.tracewire.runtime.nats;

import dev.tracewire.runtime.AgentInstrumentation;
import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.Codecs;
import dev.tracewire.runtime.SystemOptions;
import dev.tracewire.runtime.TracewireOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of generated NATS publishers and consumers, given to
 * {@link TracewireOptions.Builder#with}; what is not given takes the defaults below.
 *
 * <pre>{@code
 * TracewireOptions.builder()
 *         .with(NatsOptions.builder().requestTimeout(Duration.ofSeconds(2)).codec(Order.class, orderCodec).build())
 *         .build();
 * }</pre>
 */
public final class NatsOptions implements SystemOptions {

    private static final NatsOptions DEFAULTS = builder().build();

    private final Duration requestTimeout;
    private final Duration closeTimeout;
    private final Map<Class<?>, Codec<?>> codecs;
    private final NatsDeadLetters deadLetters;
    private final AgentInstrumentation agentInstrumentation;
    private final int batchSize;
    private final Duration batchMaxWait;

    private NatsOptions(Builder builder) {
        this.requestTimeout = builder.requestTimeout;
        this.closeTimeout = builder.closeTimeout;
        this.codecs = Map.copyOf(builder.codecs);
        this.deadLetters = builder.deadLetters;
        this.agentInstrumentation = builder.agentInstrumentation;
        this.batchSize = builder.batchSize;
        this.batchMaxWait = builder.batchMaxWait;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The NATS settings of {@code options}: those given to it, or the defaults. */
    public static NatsOptions of(TracewireOptions options) {
        return options.settings(NatsOptions.class).orElse(DEFAULTS);
    }

    /** How long a request waits for its reply (default 5 s). */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The codec for a payload type: one registered with {@link Builder#codec}, else the built-in one
     * ({@link Codecs#standard(Class)}).
     *
     * @throws IllegalArgumentException when there is none, saying how to provide one
     */
    @SuppressWarnings("unchecked") // the registry maps each class to a codec of that class
    public <T> Codec<T> codecFor(Class<T> type) {
        Codec<?> registered = codecs.get(type);
        return registered != null ? (Codec<T>) registered : Codecs.standard(type);
    }

    /** Where dead letters go, or empty when none were configured. */
    /**
     * The longest a consumer's {@code close()} takes (default 10 s). Closing drains: the server stops
     * sending, and the messages already received are handled (JetStream: and acknowledged). A
     * handler still running when the time is up is interrupted. What was not handled by then,
     * JetStream delivers again (the interrupted message at once, those still waiting after their ack
     * wait); core NATS delivers a message only once, so there it is lost. A connection that is not
     * connected is not drained (nothing could be acknowledged): its subscriptions are closed at once.
     */
    public Duration closeTimeout() {
        return closeTimeout;
    }

    public Optional<NatsDeadLetters> deadLetters() {
        return Optional.ofNullable(deadLetters);
    }

    /**
     * What clients do about OpenTelemetry's Java agent (default {@link AgentInstrumentation#DETECT}):
     * where it instruments the NATS client, core publishes and requests get its PRODUCER span, and
     * consumers take the CONSUMER span it wraps their handlers in as their process span.
     */
    public AgentInstrumentation agentInstrumentation() {
        return agentInstrumentation;
    }

    /**
     * The most messages a batch method of a JetStream consumer gets at once (default 100): each
     * fetch from its pull consumer asks for this many.
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * How long a fetch for a batch method waits for {@link #batchSize()} messages (default 100 ms)
     * before it hands over the ones it has (none: it fetches again); the longest a message waits
     * for its batch to fill.
     */
    public Duration batchMaxWait() {
        return batchMaxWait;
    }

    public Builder toBuilder() {
        Builder builder = new Builder().requestTimeout(requestTimeout).closeTimeout(closeTimeout)
                .agentInstrumentation(agentInstrumentation).batchSize(batchSize).batchMaxWait(batchMaxWait);
        builder.codecs.putAll(codecs);
        builder.deadLetters = deadLetters;
        return builder;
    }

    @Override
    public String toString() {
        return "NatsOptions[requestTimeout=" + requestTimeout + ", closeTimeout=" + closeTimeout + ", codecs="
                + codecs.keySet() + ", agentInstrumentation=" + agentInstrumentation + ", batchSize=" + batchSize
                + ", batchMaxWait=" + batchMaxWait + "]";
    }

    /** Builds {@link NatsOptions}. */
    public static final class Builder {
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration closeTimeout = Duration.ofSeconds(10);
        private final Map<Class<?>, Codec<?>> codecs = new HashMap<>();
        private NatsDeadLetters deadLetters;
        private AgentInstrumentation agentInstrumentation = AgentInstrumentation.DETECT;
        private int batchSize = 100;
        private Duration batchMaxWait = Duration.ofMillis(100);

        private Builder() {
        }

        /** The most messages a batch method gets at once (default 100); see {@link NatsOptions#batchSize()}. */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be positive, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * How long a fetch for a batch method waits for a full batch (default 100 ms, at least 1 ms);
         * see {@link NatsOptions#batchMaxWait()}.
         */
        public Builder batchMaxWait(Duration batchMaxWait) {
            Objects.requireNonNull(batchMaxWait, "batchMaxWait");
            if (batchMaxWait.toMillis() < 1) {
                throw new IllegalArgumentException("batchMaxWait must be at least 1 ms, was " + batchMaxWait);
            }
            this.batchMaxWait = batchMaxWait;
            return this;
        }

        /** What clients do about OpenTelemetry's Java agent (default {@link AgentInstrumentation#DETECT}). */
        public Builder agentInstrumentation(AgentInstrumentation agentInstrumentation) {
            this.agentInstrumentation = Objects.requireNonNull(agentInstrumentation, "agentInstrumentation");
            return this;
        }

        /**
         * Where consumers publish the messages their error policy dead-letters; a consumer whose
         * policy can dead-letter refuses to start without it.
         */
        public Builder deadLetters(NatsDeadLetters deadLetters) {
            this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
            return this;
        }

        /** How long a request waits for its reply (default 5 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            if (requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
            }
            this.requestTimeout = requestTimeout;
            return this;
        }

        /**
         * The longest a consumer's {@code close()} takes (default 10 s); see
         * {@link NatsOptions#closeTimeout()} for what happens to messages not handled by then.
         */
        public Builder closeTimeout(Duration closeTimeout) {
            Objects.requireNonNull(closeTimeout, "closeTimeout");
            if (closeTimeout.isNegative() || closeTimeout.isZero()) {
                throw new IllegalArgumentException("closeTimeout must be positive, was " + closeTimeout);
            }
            this.closeTimeout = closeTimeout;
            return this;
        }

        /** Encodes and decodes payloads of {@code type} with {@code codec}. */
        public <T> Builder codec(Class<T> type, Codec<T> codec) {
            codecs.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(codec, "codec"));
            return this;
        }

        public NatsOptions build() {
            return new NatsOptions(this);
        }
    }
}
