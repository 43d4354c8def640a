package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.Subscription;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The subscription of a generated consumer that a container runs (the {@code jakarta} and
 * {@code spring} component models): started when the container starts it, closed when it stops it,
 * started anew (with a new client from the container's factory) when started again. Start, stop
 * and the question whether it runs may come from different threads.
 */
public final class ConsumerLifecycle {

    private final Supplier<? extends Subscription> starter;
    private Subscription subscription;

    /** @param starter starts a new subscription each time it is called */
    public ConsumerLifecycle(Supplier<? extends Subscription> starter) {
        this.starter = Objects.requireNonNull(starter, "starter");
    }

    /**
     * Starts a subscription, unless one runs; one that stopped by itself is closed (what of it still
     * ran, with it) and replaced.
     */
    public synchronized void start() {
        if (subscription != null && subscription.isRunning()) {
            return;
        }
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        subscription = Objects.requireNonNull(starter.get(), "subscription");
    }

    /** Closes the subscription (finishing the message in flight, committing), if there is one. */
    public synchronized void stop() {
        Subscription stopping = subscription;
        subscription = null;
        if (stopping != null) {
            stopping.close();
        }
    }

    /** Whether a subscription runs. */
    public synchronized boolean isRunning() {
        return subscription != null && subscription.isRunning();
    }

    @Override
    public synchronized String toString() {
        return "ConsumerLifecycle[" + (subscription == null ? "stopped" : subscription) + "]";
    }
}
