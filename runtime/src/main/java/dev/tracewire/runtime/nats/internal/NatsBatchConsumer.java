package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.UndecodablePayloadException;
import dev.tracewire.runtime.internal.ConsumerState;
import dev.tracewire.runtime.internal.FailureStep;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The batch method of a generated NATS consumer: a durable JetStream pull consumer, and a thread of
 * its own that fetches up to {@link NatsOptions#batchSize()} messages at a time (waiting at most
 * {@link NatsOptions#batchMaxWait()} for them) and hands their decoded payloads to the method in one
 * process span. The messages are acknowledged after it returned; when it failed, the
 * {@link FailureStep} decides for the batch as a whole: each message is nak'd with the backoff
 * (retry), terminated (skip) or dead-lettered, or the consumer stops and naks them for its durable's
 * next member. A message its codec cannot decode never joins a batch: it fails on its own, not
 * retried, as for a method of one message. Closing finishes the batch in flight and naks what was
 * fetched and not handled, within {@link NatsOptions#closeTimeout()}.
 *
 * @param <T> the payload type
 */
final class NatsBatchConsumer<T> extends ConsumerState implements Runnable {

    private static final System.Logger LOG = System.getLogger(NatsBatchConsumer.class.getName());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** How long a message whose dead letter could not be published waits to be delivered again. */
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);

    private final Connection connection;
    private final NatsDispatcher dispatcher;
    private final NatsDispatcher.Route<T> route;
    private final FailureStep failures;
    /** Where dead letters go; {@code null} when none is configured. */
    private final NatsDeadLetterPublisher deadLetters;
    private final int batchSize;
    private final Duration maxWait;
    private final Duration closeTimeout;
    private final Thread thread;
    private JetStreamSubscription subscription;
    private volatile boolean closing;
    /** Guards interrupting the thread: only while the method runs, never inside a jnats call. */
    private final Object handlerLock = new Object();
    private volatile boolean inHandler;
    /** Set when a close ran out of time for the batch in flight; it is nak'd, not decided on. */
    private volatile boolean abandoned;

    private NatsBatchConsumer(Connection connection, NatsDispatcher dispatcher, NatsDispatcher.Route<T> route) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.route = route;
        NatsOptions options = NatsOptions.of(dispatcher.options);
        this.deadLetters = options.deadLetters()
                .map(config -> new NatsDeadLetterPublisher(config, connection, dispatcher.telemetry(),
                        dispatcher.options.captureBodySize(), dispatcher.group))
                .orElse(null);
        this.failures = new FailureStep(dispatcher.interfaceName, dispatcher.options.errorPolicy(), deadLetters != null);
        this.batchSize = options.batchSize();
        this.maxWait = options.batchMaxWait();
        this.closeTimeout = options.closeTimeout();
        String simpleName = dispatcher.interfaceName.substring(dispatcher.interfaceName.lastIndexOf('.') + 1);
        this.thread = new Thread(this, "tracewire-nats-batch-" + simpleName + "-" + THREAD_NUMBER.incrementAndGet());
    }

    static <T> NatsBatchConsumer<T> start(Connection connection, NatsDispatcher dispatcher,
            NatsDispatcher.Route<T> route) {
        NatsBatchConsumer<T> consumer = new NatsBatchConsumer<>(connection, dispatcher, route);
        consumer.subscribe();
        consumer.thread.start();
        return consumer;
    }

    private void subscribe() {
        PullSubscribeOptions options = PullSubscribeOptions.builder()
                .stream(route.stream)
                .durable(durableName())
                .configuration(ConsumerConfiguration.builder()
                        .ackPolicy(AckPolicy.Explicit)
                        .maxDeliver(NatsSubscription.UNBOUNDED_DELIVERIES)
                        .build())
                .build();
        try {
            subscription = connection.jetStream().subscribe(route.subject, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("JetStream refused the batch consumer of " + dispatcher.interfaceName
                    + " on " + route.subject + " in stream " + route.stream + ": " + e.getMessage(), e);
        }
    }

    /** The durable pull consumer's name: the group (or the interface's simple name) and the subject, sanitized. */
    private String durableName() {
        String owner = dispatcher.group.isEmpty()
                ? dispatcher.interfaceName.substring(dispatcher.interfaceName.lastIndexOf('.') + 1)
                : dispatcher.group;
        return (owner + "_" + route.subject).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void run() {
        try {
            while (!closing) {
                List<Message> fetched = subscription.fetch(batchSize, maxWait);
                if (closing) {
                    fetched.forEach(NatsBatchConsumer::nakQuietly);
                } else if (!fetched.isEmpty()) {
                    handle(fetched);
                }
            }
        } catch (Throwable unexpected) {
            if (!closing) {
                failedWith(unexpected);
                LOG.log(System.Logger.Level.ERROR, "tracewire: the batch consumer of " + dispatcher.interfaceName
                        + " on " + route.subject + " stopped", unexpected);
            }
        } finally {
            try {
                if (connection.getStatus() == Connection.Status.CONNECTED) {
                    subscription.unsubscribe();
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "tracewire: unsubscribing the batch consumer of "
                        + dispatcher.interfaceName + " failed", e);
            }
            markStopped();
        }
    }

    /** Decodes the fetched messages, runs the method with those it could decode, then acks or decides. */
    private void handle(List<Message> fetched) {
        List<Message> batch = new ArrayList<>(fetched.size());
        List<T> payloads = new ArrayList<>(fetched.size());
        for (Message message : fetched) {
            try {
                payloads.add(dispatcher.decode(route, message));
                batch.add(message);
            } catch (UndecodablePayloadException undecodable) {
                undecodable(message);
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        ProcessFailure failure;
        inHandler = true;
        try {
            failure = dispatcher.processBatch(route, batch, payloads);
        } finally {
            inHandler = false;
            if (abandoned) {
                synchronized (handlerLock) {
                    Thread.interrupted();
                }
            }
        }
        if (failure == null) {
            batch.forEach(Message::ack);
        } else if (abandoned) {
            batch.forEach(NatsBatchConsumer::nakQuietly);
        } else {
            carryOut(batch, failure);
        }
    }

    /** A message its codec cannot decode: its own failed process span, then what the policy does with it. */
    private void undecodable(Message message) {
        ProcessFailure failure = dispatcher.process(route, message);
        if (failure == null) {
            message.ack();
            return;
        }
        int attempt = (int) Math.min(Integer.MAX_VALUE, message.metaData().deliveredCount());
        String where = message.getSubject() + " (stream " + route.stream + ", sequence "
                + message.metaData().streamSequence() + ")";
        carryOut(List.of(message), failure, failures.decide(failure, attempt, where, FailureStep.Redelivery.POSSIBLE,
                false), attempt);
    }

    private void carryOut(List<Message> batch, ProcessFailure failure) {
        int attempt = 1;
        for (Message message : batch) {
            attempt = (int) Math.max(attempt, Math.min(Integer.MAX_VALUE, message.metaData().deliveredCount()));
        }
        String where = route.subject + " (stream " + route.stream + ", batch of " + batch.size() + " from sequence "
                + batch.get(0).metaData().streamSequence() + ")";
        carryOut(batch, failure, failures.decide(failure, attempt, where, FailureStep.Redelivery.POSSIBLE), attempt);
    }

    private void carryOut(List<Message> batch, ProcessFailure failure, ErrorPolicy.Decision decision, int attempt) {
        switch (decision.action()) {
            case RETRY -> batch.forEach(message -> message.nakWithDelay(decision.backoff()));
            case SKIP -> batch.forEach(Message::term);
            case DEAD_LETTER -> {
                for (Message message : batch) {
                    Throwable notPublished = deadLetters.publish(message, failure, attempt,
                            dispatcher.carried(route, message));
                    if (notPublished == null) {
                        message.ack();
                    } else {
                        LOG.log(System.Logger.Level.ERROR, "tracewire: the dead letter of " + message.getSubject()
                                + " (stream " + route.stream + ", sequence " + message.metaData().streamSequence()
                                + ", trace " + failure.traceId() + ") could not be published; the message is delivered"
                                + " again in " + DEAD_LETTER_RETRY.toMillis() + " ms", notPublished);
                        message.nakWithDelay(DEAD_LETTER_RETRY);
                    }
                }
            }
            case STOP -> {
                batch.forEach(NatsBatchConsumer::nakQuietly);
                failedWith(failure.cause());
                closing = true;
            }
            default -> throw new AssertionError(decision.action());
        }
    }

    private static void nakQuietly(Message message) {
        try {
            message.nak();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "tracewire: could not nak a message; the server redelivers it after"
                    + " its ack wait", e);
        }
    }

    /**
     * Stops fetching and waits until the batch in flight was handled and acknowledged, within the
     * close timeout: a method still running at three quarters of it is interrupted, and its batch
     * nak'd (delivered again).
     */
    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        if (awaitStoppedUninterruptibly(deadline - closeTimeout.toNanos() / 4)) {
            return;
        }
        synchronized (handlerLock) {
            abandoned = true;
            if (inHandler) {
                thread.interrupt();
            }
        }
        if (!awaitStoppedUninterruptibly(deadline)) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: the batch consumer of " + dispatcher.interfaceName
                    + " did not stop within " + closeTimeout.toMillis() + " ms; thread " + thread.getName()
                    + " stops when its method returns");
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + dispatcher.interfaceName + " batches of " + route.subject + " on NATS, running="
                + isRunning() + "]";
    }
}
