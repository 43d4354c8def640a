package dev.tracewire.runtime.testing;

import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.MessageHandler;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A NATS {@link Dispatcher} of a {@link FakeConnection}: it records what is subscribed, core or
 * JetStream push, and {@link FakeConnection#deliver} hands a message to each matching subscription
 * on the calling thread (no dispatcher thread: a test sees the outcome when {@code deliver} returns).
 * Draining or closing it ends delivery at once. Subscribing returns {@code null} (the runtime keeps
 * no subscription handles); the other methods throw {@link UnsupportedOperationException}.
 */
public final class FakeDispatcher implements Dispatcher {

    /**
     * One subscription.
     *
     * @param subject the subject, wildcards allowed
     * @param queue the queue group, or {@code null}
     * @param jetStream the JetStream push consumer's options, or {@code null} on core NATS
     */
    public record Subscribed(String subject, String queue, PushSubscribeOptions jetStream, MessageHandler handler) {

        /** Whether this subscription receives messages of {@code messageSubject}, by NATS' wildcard rules. */
        boolean matches(String messageSubject) {
            String[] pattern = subject.split("\\.");
            String[] tokens = messageSubject.split("\\.");
            for (int i = 0; i < pattern.length; i++) {
                if (pattern[i].equals(">")) {
                    return tokens.length > i;
                }
                if (i >= tokens.length || !(pattern[i].equals("*") || pattern[i].equals(tokens[i]))) {
                    return false;
                }
            }
            return pattern.length == tokens.length;
        }
    }

    private final List<Subscribed> subscriptions = new CopyOnWriteArrayList<>();
    private volatile boolean active = true;

    FakeDispatcher() {
    }

    /** What was subscribed, in order. */
    public List<Subscribed> subscriptions() {
        return List.copyOf(subscriptions);
    }

    @Override
    public Subscription subscribe(String subject, MessageHandler handler) {
        subscriptions.add(new Subscribed(subject, null, null, handler));
        return null;
    }

    @Override
    public Subscription subscribe(String subject, String queue, MessageHandler handler) {
        subscriptions.add(new Subscribed(subject, queue, null, handler));
        return null;
    }

    void subscribeToStream(String subject, String queue, PushSubscribeOptions options, MessageHandler handler) {
        subscriptions.add(new Subscribed(subject, queue, options, handler));
    }

    /** Hands {@code message} to each matching subscription while active; how many took it. */
    int deliver(Message message) throws InterruptedException {
        int delivered = 0;
        for (Subscribed subscription : subscriptions) {
            if (active && subscription.matches(message.getSubject())) {
                subscription.handler().onMessage(message);
                delivered++;
            }
        }
        return delivered;
    }

    @Override
    public CompletableFuture<Boolean> drain(Duration timeout) {
        active = false;
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public boolean isActive() {
        return active;
    }

    void close() {
        active = false;
    }

    // ---------------------------------------------------------------- not supported

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("not supported by FakeDispatcher");
    }

    @Override
    public void start(String id) {
        throw unsupported();
    }

    @Override
    public Dispatcher subscribe(String subject) {
        throw unsupported();
    }

    @Override
    public Dispatcher subscribe(String subject, String queue) {
        throw unsupported();
    }

    @Override
    public Dispatcher unsubscribe(String subject) {
        throw unsupported();
    }

    @Override
    public Dispatcher unsubscribe(Subscription subscription) {
        throw unsupported();
    }

    @Override
    public Dispatcher unsubscribe(String subject, int after) {
        throw unsupported();
    }

    @Override
    public Dispatcher unsubscribe(Subscription subscription, int after) {
        throw unsupported();
    }

    @Override
    public void setPendingLimits(long maxMessages, long maxBytes) {
        throw unsupported();
    }

    @Override
    public long getPendingMessageLimit() {
        throw unsupported();
    }

    @Override
    public long getPendingByteLimit() {
        throw unsupported();
    }

    @Override
    public long getPendingMessageCount() {
        throw unsupported();
    }

    @Override
    public long getPendingByteCount() {
        throw unsupported();
    }

    @Override
    public long getDeliveredCount() {
        throw unsupported();
    }

    @Override
    public long getDroppedCount() {
        throw unsupported();
    }

    @Override
    public void clearDroppedCount() {
        throw unsupported();
    }
}
