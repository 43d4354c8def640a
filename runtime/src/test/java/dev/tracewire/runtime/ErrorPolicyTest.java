package dev.tracewire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.ErrorPolicy.Action;
import dev.tracewire.runtime.ErrorPolicy.Decision;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ErrorPolicyTest {

    private static final Duration MS_10 = Duration.ofMillis(10);
    private static final Duration MS_100 = Duration.ofMillis(100);
    private static final Duration S_1 = Duration.ofSeconds(1);

    @Test
    void theDefaultRetriesForeverBackingOffFrom100MillisTo30Seconds() {
        ErrorPolicy policy = ErrorPolicy.defaults();

        assertThat(policy.decide(1)).isEqualTo(retry(100));
        assertThat(policy.decide(2)).isEqualTo(retry(200));
        assertThat(policy.decide(3)).isEqualTo(retry(400));
        assertThat(policy.decide(9)).isEqualTo(retry(25_600));
        assertThat(policy.decide(10)).isEqualTo(retry(30_000));
        assertThat(policy.decide(1_000)).isEqualTo(retry(30_000));
        assertThat(policy.decide(Integer.MAX_VALUE - 1)).isEqualTo(retry(30_000));
        assertThat(policy.decide(Integer.MAX_VALUE)).isEqualTo(retry(30_000));
    }

    @Test
    void retryForeverDoublesUpToTheCap() {
        ErrorPolicy policy = ErrorPolicy.retryForever(MS_10, Duration.ofMillis(50));

        assertThat(policy.decide(1)).isEqualTo(retry(10));
        assertThat(policy.decide(2)).isEqualTo(retry(20));
        assertThat(policy.decide(3)).isEqualTo(retry(40));
        assertThat(policy.decide(4)).isEqualTo(retry(50));
        assertThat(policy.decide(5)).isEqualTo(retry(50));
        assertThat(policy.decide(64)).isEqualTo(retry(50));
    }

    @Test
    void aConstantBackoffStaysConstant() {
        ErrorPolicy policy = ErrorPolicy.retryForever(MS_100, MS_100);

        for (int attempt = 1; attempt <= 40; attempt++) {
            assertThat(policy.decide(attempt)).isEqualTo(retry(100));
        }
    }

    @Test
    void aZeroBackoffRetriesAtOnce() {
        ErrorPolicy zero = ErrorPolicy.retryForever(Duration.ZERO, Duration.ZERO);
        ErrorPolicy zeroDoubling = ErrorPolicy.retryForever(Duration.ZERO, S_1);

        assertThat(zero.decide(1)).isEqualTo(retry(0));
        assertThat(zero.decide(50)).isEqualTo(retry(0));
        // Doubling nothing stays nothing: the cap is an upper bound, not the first wait.
        assertThat(zeroDoubling.decide(1)).isEqualTo(retry(0));
        assertThat(zeroDoubling.decide(50)).isEqualTo(retry(0));
    }

    @Test
    void aSubMillisecondBackoffDoublesToo() {
        ErrorPolicy policy = ErrorPolicy.retryForever(Duration.ofNanos(250_000), Duration.ofMillis(3));

        assertThat(policy.decide(1).backoff()).isEqualTo(Duration.ofNanos(250_000));
        assertThat(policy.decide(2).backoff()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(policy.decide(3).backoff()).isEqualTo(Duration.ofMillis(1));
        assertThat(policy.decide(4).backoff()).isEqualTo(Duration.ofMillis(2));
        assertThat(policy.decide(5).backoff()).isEqualTo(Duration.ofMillis(3));
    }

    @Test
    void theBackoffNeverShrinksAndStaysWithinItsBoundsEvenForHugeDurations() {
        ErrorPolicy[] policies = {
            ErrorPolicy.retryForever(Duration.ofMillis(1), Duration.ofDays(365)),
            ErrorPolicy.retryForever(Duration.ofDays(100), Duration.ofDays(100_000)),
            // 2^34 + 1 ms doubled 30 times wraps around a long to 2^30 ms, less than it started at
            ErrorPolicy.retryForever(Duration.ofMillis((1L << 34) + 1), Duration.ofDays(100_000)),
            ErrorPolicy.retryForever(Duration.ofMillis(Long.MAX_VALUE / 4), Duration.ofMillis(Long.MAX_VALUE)),
        };
        for (ErrorPolicy policy : policies) {
            Duration previous = Duration.ZERO;
            Duration first = policy.decide(1).backoff();
            Duration cap = policy.decide(Integer.MAX_VALUE).backoff();
            for (int attempt = 1; attempt <= 100; attempt++) {
                Decision decision = policy.decide(attempt);
                assertThat(decision.action()).isEqualTo(Action.RETRY);
                assertThat(decision.backoff())
                        .as("%s, attempt %d", policy, attempt)
                        .isGreaterThanOrEqualTo(previous)
                        .isGreaterThanOrEqualTo(first)
                        .isLessThanOrEqualTo(cap);
                previous = decision.backoff();
            }
        }
    }

    @Test
    void retryGivesUpAfterMaxAttemptsAndStopsByDefault() {
        ErrorPolicy policy = ErrorPolicy.retry(3, MS_100, S_1);

        assertThat(policy.decide(1)).isEqualTo(retry(100));
        assertThat(policy.decide(2)).isEqualTo(retry(200));
        assertThat(policy.decide(3)).isEqualTo(new Decision(Action.STOP, Duration.ZERO));
        assertThat(policy.decide(4).action()).isEqualTo(Action.STOP);
    }

    @Test
    void retryCanSkipOrStopOnceTheAttemptsAreUsedUp() {
        ErrorPolicy skipping = ErrorPolicy.retry(2, MS_100, S_1).thenSkip();
        ErrorPolicy stoppingAgain = skipping.thenStop();

        assertThat(skipping.decide(1)).isEqualTo(retry(100));
        assertThat(skipping.decide(2)).isEqualTo(new Decision(Action.SKIP, Duration.ZERO));
        assertThat(skipping.decide(3).action()).isEqualTo(Action.SKIP);
        assertThat(stoppingAgain.decide(1)).isEqualTo(retry(100));
        assertThat(stoppingAgain.decide(2).action()).isEqualTo(Action.STOP);
    }

    @Test
    void oneAttemptMeansNoRetry() {
        assertThat(ErrorPolicy.retry(1, MS_100, S_1).decide(1).action()).isEqualTo(Action.STOP);
        assertThat(ErrorPolicy.retry(1, MS_100, S_1).thenSkip().decide(1).action()).isEqualTo(Action.SKIP);
    }

    @Test
    void skipAndStopDecideAtTheFirstFailure() {
        assertThat(ErrorPolicy.skip().decide(1)).isEqualTo(new Decision(Action.SKIP, Duration.ZERO));
        assertThat(ErrorPolicy.skip().decide(2).action()).isEqualTo(Action.SKIP);
        assertThat(ErrorPolicy.stop().decide(1)).isEqualTo(new Decision(Action.STOP, Duration.ZERO));
        assertThat(ErrorPolicy.skip().thenStop().decide(1).action()).isEqualTo(Action.STOP);
        assertThat(ErrorPolicy.stop().thenSkip().decide(1).action()).isEqualTo(Action.SKIP);
    }

    @Test
    void retryForeverStaysRetryingWhateverComesAfter() {
        // thenSkip/thenStop only matter once attempts run out, and retryForever's never do in practice.
        ErrorPolicy policy = ErrorPolicy.retryForever(MS_10, MS_100).thenSkip();

        assertThat(policy.decide(1)).isEqualTo(retry(10));
        assertThat(policy.decide(1_000_000).action()).isEqualTo(Action.RETRY);
    }

    @Test
    void argumentsAreValidated() {
        assertThatThrownBy(() -> ErrorPolicy.retry(0, MS_100, S_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> ErrorPolicy.retry(-1, MS_100, S_1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorPolicy.retry(3, Duration.ofMillis(-1), S_1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorPolicy.retry(3, S_1, MS_100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorPolicy.retryForever(Duration.ofMillis(-1), S_1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> ErrorPolicy.retryForever(S_1, MS_100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorPolicy.retryForever(null, S_1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("initialBackoff");
        assertThatThrownBy(() -> ErrorPolicy.retryForever(MS_100, null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> ErrorPolicy.retry(2, null, S_1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aFailureThatRetryingCannotFixIsNeverRetried() {
        Decision skip = new Decision(Action.SKIP, Duration.ZERO);
        Decision stop = new Decision(Action.STOP, Duration.ZERO);

        assertThat(ErrorPolicy.defaults().decide(1, false)).as("retrying forever skips it").isEqualTo(skip);
        assertThat(ErrorPolicy.retry(3, MS_100, S_1).thenSkip().decide(1, false)).isEqualTo(skip);
        assertThat(ErrorPolicy.retry(3, MS_100, S_1).decide(1, false)).as("then stop").isEqualTo(stop);
        assertThat(ErrorPolicy.stop().decide(1, false)).isEqualTo(stop);
        assertThat(ErrorPolicy.skip().decide(1, false)).isEqualTo(skip);
        assertThat(ErrorPolicy.defaults().decide(1, true)).isEqualTo(retry(100));
        assertThatThrownBy(() -> ErrorPolicy.defaults().decide(0, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringTellsTheAttemptsBackoffAndOutcome() {
        assertThat(ErrorPolicy.defaults()).hasToString("ErrorPolicy[attempts=unlimited, backoff=PT0.1S..PT30S, then=RETRY]");
        assertThat(ErrorPolicy.retry(3, MS_100, S_1).thenSkip())
                .hasToString("ErrorPolicy[attempts=3, backoff=PT0.1S..PT1S, then=SKIP]");
    }

    private static Decision retry(long backoffMillis) {
        return new Decision(Action.RETRY, Duration.ofMillis(backoffMillis));
    }
}
