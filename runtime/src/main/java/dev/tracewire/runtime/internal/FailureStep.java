package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.ErrorPolicy;
import java.time.Duration;

/**
 * The one place that decides what a failed message becomes, for every messaging system: it asks
 * the consumer's {@link ErrorPolicy}, adapts the answer to what the system can do (a message that
 * cannot be delivered again is not retried), and says in the log what happens, naming the
 * message's coordinates and trace id (a policy that retries without limit logs each attempt as an
 * error, since the message holds back what follows it). A message that a policy retrying without limit
 * cannot retry (it cannot be deserialized or decoded, or the system cannot deliver it again) goes to
 * the consumer's dead-letter destination when it has one, and is skipped otherwise. The system then
 * carries the decision out:
 * Kafka seeks back and pauses the partition, publishes a dead letter, commits past the message, or
 * stops; JetStream naks with a delay, publishes a dead letter, terminates, or stops.
 */
public final class FailureStep {

    private static final System.Logger LOG = System.getLogger(FailureStep.class.getName());

    private static final ErrorPolicy.Decision DEAD_LETTER =
            new ErrorPolicy.Decision(ErrorPolicy.Action.DEAD_LETTER, Duration.ZERO);

    private final String consumer;
    private final ErrorPolicy policy;
    private final boolean deadLetterDestination;

    /**
     * @param consumer the consumer interface's name, for log lines
     * @param deadLetterDestination whether the consumer has a dead-letter destination configured
     */
    public FailureStep(String consumer, ErrorPolicy policy, boolean deadLetterDestination) {
        this.consumer = consumer;
        this.policy = policy;
        this.deadLetterDestination = deadLetterDestination;
    }

    /** The policy this step applies. */
    public ErrorPolicy policy() {
        return policy;
    }

    /**
     * Decides what becomes of a message whose handler failed on its {@code attempt}-th delivery
     * (1 for the first), and logs it.
     *
     * @param coordinates where the message is, as {@code topic-partition@offset} or
     *     {@code subject (stream S, sequence N)}
     * @param redelivery whether, and how, the system can deliver the message again
     */
    public ErrorPolicy.Decision decide(ProcessFailure failure, int attempt, String coordinates,
            Redelivery redelivery) {
        return decide(failure, attempt, coordinates, redelivery, true);
    }

    /**
     * As {@link #decide(ProcessFailure, int, String, Redelivery)}, for a failure that trying again may
     * not help: a message that cannot be deserialized or decoded ({@code retryable} false) is never
     * retried. A message that is not retried, for either reason, gets what the policy does once the
     * attempts are used up: dead letter, skip (an error in the log: nobody handled it) or stop; for a
     * policy that retries without limit, whose attempts are never used up, that is the dead-letter
     * destination when the consumer has one, else skip.
     */
    public ErrorPolicy.Decision decide(ProcessFailure failure, int attempt, String coordinates,
            Redelivery redelivery, boolean retryable) {
        boolean retried = retryable && redelivery.possible();
        ErrorPolicy.Decision decision = !retried && deadLetterDestination && policy.retriesForever()
                ? DEAD_LETTER
                : policy.decide(attempt, retried);
        String what = "tracewire: " + consumer + " failed on " + coordinates + " (attempt " + attempt + ", trace "
                + failure.traceId() + "); ";
        String notRetried = !retryable ? "it cannot be deserialized or decoded, so trying it again cannot help; "
                : !redelivery.possible() ? redelivery.why() + "; " : "";
        switch (decision.action()) {
            case RETRY -> LOG.log(policy.retriesForever() ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    what + "retrying in " + decision.backoff().toMillis() + " ms", failure.cause());
            case DEAD_LETTER -> LOG.log(System.Logger.Level.WARNING,
                    what + notRetried + "publishing it to the dead-letter destination", failure.cause());
            case SKIP -> {
                if (notRetried.isEmpty()) {
                    LOG.log(System.Logger.Level.WARNING, what + "skipping it as the error policy says", failure.cause());
                } else {
                    LOG.log(System.Logger.Level.ERROR, what + notRetried + "skipping it: it is not handled",
                            failure.cause());
                }
            }
            case STOP -> LOG.log(System.Logger.Level.ERROR, what + notRetried + "stopping the consumer as the error"
                    + " policy says; the message stays unacknowledged for the next consumer", failure.cause());
        }
        return decision;
    }

    /**
     * Whether a system can deliver a failed message again.
     *
     * @param possible whether it can
     * @param why why not, for the log ("core NATS cannot deliver it again")
     */
    public record Redelivery(boolean possible, String why) {

        /** The system delivers the message again (Kafka by seeking back, JetStream by a nak). */
        public static final Redelivery POSSIBLE = new Redelivery(true, "");

        public static Redelivery impossible(String why) {
            return new Redelivery(false, why);
        }
    }
}
