package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.Subscription;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The state every running consumer shares, whatever the system: running until it stopped, and
 * why it stopped by itself. Systems extend it with how they consume and close.
 */
public abstract class ConsumerState implements Subscription {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable failure;

    /** Records why the consumer stops by itself (the first reason wins). */
    protected final void failedWith(Throwable reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** Marks the consumer stopped; call once, when everything is released. */
    protected final void markStopped() {
        stopped.countDown();
    }

    /**
     * Waits, without being interruptible, until the consumer stopped or {@link System#nanoTime()}
     * reaches {@code deadlineNanos}; whether it stopped.
     */
    protected final boolean awaitStoppedUninterruptibly(long deadlineNanos) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return stopped.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public final boolean isRunning() {
        return stopped.getCount() > 0;
    }

    @Override
    public final Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public final boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
