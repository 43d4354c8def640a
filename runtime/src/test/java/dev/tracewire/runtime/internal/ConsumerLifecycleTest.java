package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a container's start and stop do to a generated consumer's subscriptions. */
class ConsumerLifecycleTest {

    /** A subscription that runs until closed, or until the test says it stopped by itself. */
    static final class FakeSubscription implements Subscription {
        boolean running = true;
        int closes;

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public Optional<Throwable> failure() {
            return Optional.empty();
        }

        @Override
        public boolean awaitTermination(Duration timeout) {
            return !running;
        }

        @Override
        public void close() {
            closes++;
            running = false;
        }
    }

    private final List<FakeSubscription> started = new ArrayList<>();
    private final ConsumerLifecycle lifecycle = new ConsumerLifecycle(() -> {
        FakeSubscription subscription = new FakeSubscription();
        started.add(subscription);
        return subscription;
    });

    @Test
    void startsOnceWhileRunningAndStopsByClosing() {
        assertThat(lifecycle.isRunning()).isFalse();

        lifecycle.start();
        lifecycle.start();

        assertThat(started).hasSize(1);
        assertThat(lifecycle.isRunning()).isTrue();
        lifecycle.stop();
        lifecycle.stop();
        assertThat(started.get(0).closes).isEqualTo(1);
        assertThat(lifecycle.isRunning()).isFalse();
    }

    @Test
    void startingAgainStartsANewSubscription() {
        lifecycle.start();
        lifecycle.stop();
        lifecycle.start();

        assertThat(started).hasSize(2);
        assertThat(started.get(1).isRunning()).isTrue();
    }

    @Test
    void aSubscriptionThatStoppedByItselfIsNotRunningAndIsClosedAndReplacedOnStart() {
        lifecycle.start();
        started.get(0).running = false;

        assertThat(lifecycle.isRunning()).isFalse();
        lifecycle.start();

        assertThat(started).hasSize(2);
        assertThat(started.get(0).closes).isEqualTo(1);
        assertThat(lifecycle.isRunning()).isTrue();
    }

    @Test
    void aCompositeRunsWhileEveryPartRunsAndClosesThemAll() {
        FakeSubscription first = new FakeSubscription();
        FakeSubscription second = new FakeSubscription();
        CompositeSubscription composite = new CompositeSubscription("test", List.of(first, second));

        assertThat(composite.isRunning()).isTrue();
        second.running = false;
        assertThat(composite.isRunning()).isFalse();
        composite.close();

        assertThat(first.closes).isEqualTo(1);
        assertThat(second.closes).isEqualTo(1);
    }
}
