package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.ErrorPolicy.Action;
import dev.tracewire.runtime.testing.LogCapture;
import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What the failure step makes of a policy's decision: a message that is not retried (it cannot be
 * deserialized or decoded, or the system cannot deliver it again) under a policy that retries
 * without limit is dead-lettered when the consumer has a destination, and skipped otherwise.
 */
class FailureStepTest {

    private static final ProcessFailure FAILURE = new ProcessFailure(new IllegalStateException("bad"),
            SpanContext.getInvalid());
    private static final FailureStep.Redelivery CORE = FailureStep.Redelivery.impossible("core NATS cannot");

    @Test
    void theDefaultPolicyDeadLettersWhatItCannotRetryWhenTheConsumerHasADestination() {
        try (LogCapture log = LogCapture.of(FailureStep.class, Level.ALL)) {
            FailureStep withDestination = new FailureStep("Orders", ErrorPolicy.defaults(), true);

            assertThat(action(withDestination, FailureStep.Redelivery.POSSIBLE, false)).isEqualTo(Action.DEAD_LETTER);
            assertThat(action(withDestination, CORE, true)).isEqualTo(Action.DEAD_LETTER);
            assertThat(action(withDestination, FailureStep.Redelivery.POSSIBLE, true)).as("retryable: retried")
                    .isEqualTo(Action.RETRY);
            assertThat(log.messages().get(0))
                    .contains("cannot be deserialized or decoded").contains("publishing it to the dead-letter");
        }
    }

    @Test
    void withoutADestinationTheDefaultPolicySkipsWhatItCannotRetry() {
        try (LogCapture log = LogCapture.of(FailureStep.class, Level.ALL)) {
            FailureStep withoutDestination = new FailureStep("Orders", ErrorPolicy.defaults(), false);

            assertThat(action(withoutDestination, FailureStep.Redelivery.POSSIBLE, false)).isEqualTo(Action.SKIP);
            assertThat(action(withoutDestination, CORE, true)).isEqualTo(Action.SKIP);
            assertThat(log.records()).extracting(record -> record.getLevel()).containsOnly(Level.SEVERE);
        }
    }

    @Test
    void aPolicyThatSaysWhatToDoOnceAttemptsAreUsedUpKeepsItsWordWithADestination() {
        try (LogCapture log = LogCapture.of(FailureStep.class, Level.ALL)) {
            assertThat(action(new FailureStep("Orders", ErrorPolicy.skip(), true), CORE, false))
                    .isEqualTo(Action.SKIP);
            assertThat(action(new FailureStep("Orders", ErrorPolicy.stop(), true), FailureStep.Redelivery.POSSIBLE,
                    false)).isEqualTo(Action.STOP);
            assertThat(action(new FailureStep("Orders", ErrorPolicy.retry(3, Duration.ZERO, Duration.ZERO).thenSkip(),
                    true), FailureStep.Redelivery.POSSIBLE, false)).isEqualTo(Action.SKIP);
            assertThat(log.messages()).noneMatch(message -> message.contains("dead-letter"));
        }
    }

    private static Action action(FailureStep step, FailureStep.Redelivery redelivery, boolean retryable) {
        return step.decide(FAILURE, 1, "orders-0@7", redelivery, retryable).action();
    }
}
