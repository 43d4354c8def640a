package dev.tracewire.runtime.nats;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where a NATS consumer publishes the messages its error policy dead-letters
 * ({@code ErrorPolicy.deadLetter()}, {@code retry(...).thenDeadLetter()}), given to
 * {@link NatsOptions.Builder#deadLetters}; dead letters go out on the consumer's own connection.
 * Immutable.
 *
 * <pre>{@code
 * NatsOptions.builder().deadLetters(NatsDeadLetters.toStream(subject -> "dlq." + subject)).build();
 * }</pre>
 *
 * <p>A dead letter carries the message's payload bytes as they arrived and its headers, plus the
 * failure under {@code nats_dlt-*} headers named after Spring Kafka's {@code kafka_dlt-*} ones
 * (NATS has no convention of its own).
 */
public final class NatsDeadLetters {

    private final UnaryOperator<String> subject;
    private final boolean jetStream;
    private final Duration timeout;

    private NatsDeadLetters(UnaryOperator<String> subject, boolean jetStream, Duration timeout) {
        this.subject = subject;
        this.jetStream = jetStream;
        this.timeout = timeout;
    }

    /**
     * Core NATS: published on {@code naming.apply(subject)} and flushed to the server; what nobody
     * subscribes to when it arrives is gone, so prefer {@link #toStream} for dead letters you keep.
     */
    public static NatsDeadLetters toSubject(UnaryOperator<String> naming) {
        return new NatsDeadLetters(Objects.requireNonNull(naming, "naming"), false, Duration.ofSeconds(10));
    }

    /**
     * JetStream: published on {@code naming.apply(subject)}, which a stream must capture, and
     * acknowledged by it before the original message is.
     */
    public static NatsDeadLetters toStream(UnaryOperator<String> naming) {
        return new NatsDeadLetters(Objects.requireNonNull(naming, "naming"), true, Duration.ofSeconds(10));
    }

    /** Dead letters to JetStream on {@code dlq.<subject>}. */
    public static NatsDeadLetters toStream() {
        return toStream(original -> "dlq." + original);
    }

    /** How long the consumer waits for a dead letter to be flushed or acknowledged (default 10 s). */
    public NatsDeadLetters timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new NatsDeadLetters(subject, jetStream, timeout);
    }

    /** The dead-letter subject for a message that came on {@code original}. */
    public String subjectFor(String original) {
        return subject.apply(original);
    }

    /** Whether dead letters go to JetStream (acknowledged) rather than core NATS. */
    public boolean jetStream() {
        return jetStream;
    }

    public Duration timeout() {
        return timeout;
    }
}
