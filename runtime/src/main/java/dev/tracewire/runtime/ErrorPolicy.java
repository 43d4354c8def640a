package dev.tracewire.runtime;

import java.time.Duration;
import java.util.Objects;

/**
 * What a consumer does with a message whose handler threw. The failure is always recorded on the
 * message's process span first; the policy then decides between trying the message again after a
 * backoff, publishing it to a dead-letter destination (then committed or acknowledged), skipping it
 * (logged, and for Kafka its offset committed), or stopping the consumer (nothing committed past the
 * message, so the next consumer of the group gets it again).
 *
 * <p>Retrying a Kafka record pauses only the record's partition: the other partitions keep
 * flowing, and records behind the failed one on its partition wait, so their order is kept.
 */
public final class ErrorPolicy {

    /** What to do with one failed message. */
    public enum Action {
        /** Deliver the message again after {@link Decision#backoff()}. */
        RETRY,
        /** Log the failure and go on with the next message. */
        SKIP,
        /** Stop consuming; the message is not acknowledged. */
        STOP,
        /**
         * Publish the message, with its headers and the failure's, to the consumer's dead-letter
         * destination ({@code KafkaOptions}/{@code NatsOptions}); only once that publish is
         * acknowledged is the message committed. Without a dead-letter destination the consumer
         * refuses to start.
         */
        DEAD_LETTER
    }

    /** The decision for one failure: an action and, for {@link Action#RETRY}, how long to wait. */
    public record Decision(Action action, Duration backoff) {
    }

    private static final Decision SKIP_DECISION = new Decision(Action.SKIP, Duration.ZERO);
    private static final Decision STOP_DECISION = new Decision(Action.STOP, Duration.ZERO);
    private static final Decision DEAD_LETTER_DECISION = new Decision(Action.DEAD_LETTER, Duration.ZERO);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Action exhausted;

    private ErrorPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Action exhausted) {
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.exhausted = exhausted;
    }

    /**
     * The default: retry without limit, backing off exponentially from 100 ms to 30 s. Nothing is
     * lost; a message that never succeeds holds back only its own partition, and every attempt is
     * a process span with status ERROR. A message that cannot be retried (it cannot be deserialized
     * or decoded, or core NATS cannot deliver it again) goes to the consumer's dead-letter destination
     * when one is configured, and is skipped with an error in the log otherwise.
     */
    public static ErrorPolicy defaults() {
        return retryForever(Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /** Retry without limit, doubling the backoff from {@code initialBackoff} up to {@code maxBackoff}. */
    public static ErrorPolicy retryForever(Duration initialBackoff, Duration maxBackoff) {
        checkBackoff(initialBackoff, maxBackoff);
        return new ErrorPolicy(Integer.MAX_VALUE, initialBackoff, maxBackoff, Action.RETRY);
    }

    /**
     * Try a message at most {@code maxAttempts} times in all, doubling the backoff from
     * {@code initialBackoff} up to {@code maxBackoff}; then stop, unless {@link #thenSkip()} says
     * otherwise.
     */
    public static ErrorPolicy retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        checkBackoff(initialBackoff, maxBackoff);
        return new ErrorPolicy(maxAttempts, initialBackoff, maxBackoff, Action.STOP);
    }

    /** Log a failed message and go on (Kafka: its offset is committed). */
    public static ErrorPolicy skip() {
        return new ErrorPolicy(1, Duration.ZERO, Duration.ZERO, Action.SKIP);
    }

    /** Publish a failed message to the dead-letter destination at its first failure. */
    public static ErrorPolicy deadLetter() {
        return new ErrorPolicy(1, Duration.ZERO, Duration.ZERO, Action.DEAD_LETTER);
    }

    /** Stop the consumer at the first failure; the failed message is not committed. */
    public static ErrorPolicy stop() {
        return new ErrorPolicy(1, Duration.ZERO, Duration.ZERO, Action.STOP);
    }

    /** This policy, but skipping the message once its attempts are used up. */
    public ErrorPolicy thenSkip() {
        return new ErrorPolicy(maxAttempts, initialBackoff, maxBackoff, Action.SKIP);
    }

    /** This policy, but publishing the message to the dead-letter destination once its attempts are used up. */
    public ErrorPolicy thenDeadLetter() {
        return new ErrorPolicy(maxAttempts, initialBackoff, maxBackoff, Action.DEAD_LETTER);
    }

    /** This policy, but stopping the consumer once the message's attempts are used up. */
    public ErrorPolicy thenStop() {
        return new ErrorPolicy(maxAttempts, initialBackoff, maxBackoff, Action.STOP);
    }

    /** Whether some failure can end in a dead letter, so the consumer needs a dead-letter destination. */
    public boolean deadLetters() {
        return exhausted == Action.DEAD_LETTER;
    }

    /** Whether a message that keeps failing is retried without limit (holding back what follows it). */
    public boolean retriesForever() {
        return exhausted == Action.RETRY;
    }

    /** How many times in all a message is tried, or -1 for no limit; what a broker's redelivery bound is set to. */
    public int maxAttempts() {
        return maxAttempts == Integer.MAX_VALUE || exhausted == Action.RETRY ? -1 : maxAttempts;
    }

    /**
     * The decision after the {@code failedAttempts}-th failure of one message (1 for its first).
     */
    public Decision decide(int failedAttempts) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts starts at 1, was " + failedAttempts);
        }
        if (failedAttempts < maxAttempts) {
            return new Decision(Action.RETRY, backoff(failedAttempts));
        }
        return switch (exhausted) {
            case RETRY -> new Decision(Action.RETRY, backoff(failedAttempts));
            case SKIP -> SKIP_DECISION;
            case STOP -> STOP_DECISION;
            case DEAD_LETTER -> DEAD_LETTER_DECISION;
        };
    }

    /**
     * The decision after the {@code failedAttempts}-th failure of one message, knowing whether trying
     * it again can help. A failure that it cannot help (a message that cannot be deserialized or
     * decoded fails the same way every time) is not retried: it gets what the policy does once the
     * attempts are used up (dead letter, skip or stop), and a policy that would retry without limit
     * skips it instead (a consumer that has a dead-letter destination publishes it there rather than
     * skip it).
     */
    public Decision decide(int failedAttempts, boolean retryable) {
        if (retryable) {
            return decide(failedAttempts);
        }
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts starts at 1, was " + failedAttempts);
        }
        return switch (exhausted) {
            case STOP -> STOP_DECISION;
            case DEAD_LETTER -> DEAD_LETTER_DECISION;
            case RETRY, SKIP -> SKIP_DECISION;
        };
    }

    private Duration backoff(int failedAttempts) {
        // Doubled as a Duration, not as shifted millis: a zero or sub-millisecond start stays
        // itself instead of jumping to maxBackoff, and a long start cannot wrap around.
        Duration backoff = initialBackoff;
        for (int doublings = failedAttempts - 1;
                doublings > 0 && !backoff.isZero() && backoff.compareTo(maxBackoff) < 0; doublings--) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }

    private static void checkBackoff(Duration initialBackoff, Duration maxBackoff) {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "need 0 <= initialBackoff <= maxBackoff, was " + initialBackoff + " and " + maxBackoff);
        }
    }

    @Override
    public String toString() {
        String attempts = maxAttempts == Integer.MAX_VALUE ? "unlimited" : Integer.toString(maxAttempts);
        return "ErrorPolicy[attempts=" + attempts + ", backoff=" + initialBackoff + ".." + maxBackoff
                + ", then=" + exhausted + "]";
    }
}
