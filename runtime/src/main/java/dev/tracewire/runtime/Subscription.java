package dev.tracewire.runtime;

import java.time.Duration;
import java.util.Optional;

/**
 * A running consumer started by a generated dispatcher. Closing it stops consuming gracefully: the
 * message in flight is finished, what was handled is committed, and the client is closed.
 */
public interface Subscription extends AutoCloseable {

    /** Whether the consumer is still consuming. */
    boolean isRunning();

    /**
     * Why the consumer stopped by itself: the failure that the error policy stopped on, or an
     * error of the client. Empty while running and after a plain {@link #close()}.
     */
    Optional<Throwable> failure();

    /** Waits up to {@code timeout} for the consumer to stop; whether it did. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /** Stops consuming and waits until the in-flight message is finished and committed. */
    @Override
    void close();
}
