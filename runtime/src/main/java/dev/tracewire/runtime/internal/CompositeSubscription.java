package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One consumer made of several subscriptions (a NATS consumer's push subscriptions and the pull
 * consumers of its batch methods): running while every part runs, stopped by itself when one part
 * did (with that part's failure), closed part by part.
 */
public final class CompositeSubscription implements Subscription {

    private final String name;
    private final List<Subscription> parts;

    public CompositeSubscription(String name, List<? extends Subscription> parts) {
        this.name = name;
        this.parts = List.copyOf(parts);
    }

    @Override
    public boolean isRunning() {
        return parts.stream().allMatch(Subscription::isRunning);
    }

    @Override
    public Optional<Throwable> failure() {
        return parts.stream().flatMap(part -> part.failure().stream()).findFirst();
    }

    /** Waits for every part; whether all stopped within {@code timeout}. */
    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Subscription part : parts) {
            if (!part.awaitTermination(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
        }
        return true;
    }

    /** Closes every part, each within its own close timeout. */
    @Override
    public void close() {
        RuntimeException failed = null;
        for (Subscription part : parts) {
            try {
                part.close();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + name + ", parts=" + parts + ", running=" + isRunning() + "]";
    }
}
