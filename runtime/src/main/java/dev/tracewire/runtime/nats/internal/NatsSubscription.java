package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.UndecodablePayloadException;
import dev.tracewire.runtime.internal.ConsumerState;
import dev.tracewire.runtime.internal.FailureStep;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The subscriptions of one generated NATS consumer on one connection, all on one NATS dispatcher
 * thread. JetStream messages are acknowledged only after the handler returned. What a failed message
 * becomes, the {@link FailureStep} decides; this class carries it out: a JetStream message is
 * negatively acknowledged with the backoff, or terminated; a core message, which NATS cannot
 * deliver again, is dropped; a policy that stops leaves the JetStream message (and what was still
 * delivered) to the durable's next consumer.
 */
final class NatsSubscription extends ConsumerState {

    /**
     * The durable's redelivery bound: none. The error policy ends a failed message itself (term, dead
     * letter or, to stop, leave it unacknowledged); a bound on the server would also end a message whose
     * consumer died before acknowledging it, which the next member of the durable must get again.
     */
    static final int UNBOUNDED_DELIVERIES = -1;

    private static final System.Logger LOG = System.getLogger(NatsSubscription.class.getName());
    /**
     * The JetStream protocol's negative acknowledgement, published to a message's ack subject, with
     * a short delay: nats-server may not have noticed yet that the stopped consumer's interest is
     * gone, and a redelivery sent at once could go to nobody and wait out the ack wait.
     */
    private static final byte[] NAK = "-NAK {\"delay\": 500000000}".getBytes(StandardCharsets.US_ASCII);

    private final Connection connection;
    private final NatsDispatcher dispatcher;
    private static final FailureStep.Redelivery CORE = FailureStep.Redelivery.impossible("core NATS cannot deliver it"
            + " again");

    /** How long a JetStream message whose dead letter could not be published waits to be delivered again. */
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);

    private final FailureStep failures;
    /** Where dead letters go; {@code null} when none is configured. */
    private final NatsDeadLetterPublisher deadLetters;
    private final Dispatcher natsDispatcher;
    private final Duration closeTimeout;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** When the drain of a close gives up on what is in flight, in {@link System#nanoTime()}. */
    private volatile long drainDeadline;
    /** Whether a close is draining, and {@link #drainDeadline} set. */
    private volatile boolean draining;
    private volatile boolean stopping;
    /** JetStream messages not acknowledged because the policy stopped the consumer; nak'd once it is closed. */
    private final Queue<Message> unacknowledged = new ConcurrentLinkedQueue<>();
    private final ConnectionListener connectionClosed = this::onConnectionEvent;
    /** Whether the connection is disconnected from its server (and jnats reconnecting). */
    private volatile boolean serverLost;

    private NatsSubscription(Connection connection, NatsDispatcher dispatcher) {
        this.connection = connection;
        this.dispatcher = dispatcher;
        this.deadLetters = NatsOptions.of(dispatcher.options).deadLetters()
                .map(config -> new NatsDeadLetterPublisher(config, connection, dispatcher.telemetry(),
                        dispatcher.options.captureBodySize(), dispatcher.group))
                .orElse(null);
        this.failures = new FailureStep(dispatcher.interfaceName, dispatcher.options.errorPolicy(), deadLetters != null);
        this.natsDispatcher = connection.createDispatcher();
        this.closeTimeout = NatsOptions.of(dispatcher.options).closeTimeout();
    }

    static NatsSubscription start(Connection connection, NatsDispatcher dispatcher) {
        NatsSubscription subscription = new NatsSubscription(connection, dispatcher);
        try {
            for (NatsDispatcher.Route<?> route : dispatcher.routes) {
                subscription.subscribe(route);
            }
            connection.addConnectionListener(subscription.connectionClosed);
        } catch (RuntimeException e) {
            subscription.close();
            throw e;
        }
        return subscription;
    }

    private void subscribe(NatsDispatcher.Route<?> route) {
        io.nats.client.MessageHandler handler = message -> onMessage(route, message);
        if (!route.jetStream()) {
            if (dispatcher.group.isEmpty()) {
                natsDispatcher.subscribe(route.subject, handler);
            } else {
                natsDispatcher.subscribe(route.subject, dispatcher.group, handler);
            }
            return;
        }
        ConsumerConfiguration configuration = ConsumerConfiguration.builder()
                .ackPolicy(AckPolicy.Explicit)
                .maxDeliver(UNBOUNDED_DELIVERIES)
                .build();
        PushSubscribeOptions options = PushSubscribeOptions.builder()
                .stream(route.stream)
                .durable(durableName(route))
                .configuration(configuration)
                .build();
        try {
            if (dispatcher.group.isEmpty()) {
                connection.jetStream().subscribe(route.subject, natsDispatcher, handler, false, options);
            } else {
                connection.jetStream().subscribe(route.subject, dispatcher.group, natsDispatcher, handler, false,
                        options);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("JetStream refused the consumer of " + dispatcher.interfaceName + " on "
                    + route.subject + " in stream " + route.stream + ": " + e.getMessage(), e);
        }
    }

    /** The durable consumer's name: the group (or the interface's simple name) and the subject, sanitized. */
    private String durableName(NatsDispatcher.Route<?> route) {
        String owner = dispatcher.group.isEmpty()
                ? dispatcher.interfaceName.substring(dispatcher.interfaceName.lastIndexOf('.') + 1)
                : dispatcher.group;
        return (owner + "_" + route.subject).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private void onMessage(NatsDispatcher.Route<?> route, Message message) {
        if (stopping) {
            // The policy stopped the consumer: what is still delivered while it drains is not
            // handled; JetStream gets it back for the next consumer, core NATS messages are dropped.
            if (route.jetStream()) {
                unacknowledged.add(message);
            }
            return;
        }
        ProcessFailure failure = dispatcher.process(route, message);
        if (failure == null) {
            if (route.jetStream()) {
                message.ack();
            }
            return;
        }
        if (draining && System.nanoTime() - drainDeadline >= 0) {
            // Interrupted by a close that ran out of time: not a failure to decide on; JetStream gets
            // it back now (the close may have returned already).
            if (route.jetStream()) {
                nak(message);
            }
            return;
        }
        boolean retryable = !(failure.cause() instanceof UndecodablePayloadException);
        if (!route.jetStream()) {
            ErrorPolicy.Decision decision = failures.decide(failure, 1, message.getSubject(), CORE, retryable);
            if (decision.action() == ErrorPolicy.Action.STOP) {
                stopOn(failure.cause());
            } else if (decision.action() == ErrorPolicy.Action.DEAD_LETTER) {
                deadLetter(route, message, failure, 1, message.getSubject(), false);
            }
            return;
        }
        int attempt = (int) Math.min(Integer.MAX_VALUE, message.metaData().deliveredCount());
        String where = message.getSubject() + " (stream " + route.stream + ", sequence "
                + message.metaData().streamSequence() + ")";
        ErrorPolicy.Decision decision =
                failures.decide(failure, attempt, where, FailureStep.Redelivery.POSSIBLE, retryable);
        switch (decision.action()) {
            case RETRY -> message.nakWithDelay(decision.backoff());
            case SKIP -> message.term();
            case DEAD_LETTER -> deadLetter(route, message, failure, attempt, where, true);
            case STOP -> {
                // Not nak'd yet: the server would deliver it again at once, to this very consumer.
                unacknowledged.add(message);
                stopOn(failure.cause());
            }
        }
    }

    /**
     * Publishes the dead letter, then acknowledges a JetStream message; one whose dead letter could
     * not be published is delivered again later (JetStream) or, on core NATS, lost, which the log
     * says as an error.
     */
    private void deadLetter(NatsDispatcher.Route<?> route, Message message, ProcessFailure failure, int attempt,
            String where, boolean jetStream) {
        Throwable notPublished = deadLetters.publish(message, failure, attempt, dispatcher.carried(route, message));
        if (notPublished == null) {
            if (jetStream) {
                message.ack();
            }
            return;
        }
        if (jetStream) {
            LOG.log(System.Logger.Level.ERROR, "tracewire: the dead letter of " + where + " (trace " + failure.traceId()
                    + ") could not be published; the message is delivered again in " + DEAD_LETTER_RETRY.toMillis()
                    + " ms", notPublished);
            message.nakWithDelay(DEAD_LETTER_RETRY);
        } else {
            LOG.log(System.Logger.Level.ERROR, "tracewire: the dead letter of " + where + " (trace " + failure.traceId()
                    + ") could not be published, and core NATS cannot deliver the message again: it is lost",
                    notPublished);
        }
    }

    /**
     * A connection that closed delivers nothing more: the consumer stops instead of reporting itself
     * running. When the server was lost and jnats gave up reconnecting, that is a failure the
     * consumer reports; a connection its owner closed is a plain stop.
     */
    private void onConnectionEvent(Connection source, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> serverLost = true;
            case CONNECTED, RECONNECTED, RESUBSCRIBED -> serverLost = false;
            case CLOSED -> {
                if (closing.get()) {
                    return;
                }
                if (serverLost) {
                    failedWith(new IllegalStateException("the NATS connection of the consumer of "
                            + dispatcher.interfaceName + " lost its server and closed; it receives nothing more"));
                    LOG.log(System.Logger.Level.ERROR, "tracewire: the NATS connection of the consumer of "
                            + dispatcher.interfaceName + " lost its server and closed (reconnecting gave up): the"
                            + " consumer stopped");
                }
                close();
            }
            default -> {
                // Neither lost nor back: nothing changes for the consumer.
            }
        }
    }

    private void stopOn(Throwable cause) {
        failedWith(cause);
        stopping = true;
        Thread stopper = new Thread(this::close, "tracewire-nats-stop");
        stopper.start();
    }

    /**
     * Drains the subscriptions (messages received are finished and acknowledged), then closes the
     * dispatcher, within the close timeout: the drain gives up a little before it (a tenth of it, at
     * most 200 ms), and jnats then interrupts a handler still running.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        drainDeadline = deadline - Math.min(closeTimeout.toNanos() / 10, TimeUnit.MILLISECONDS.toNanos(200));
        draining = true;
        try {
            // A connection that is not connected can neither take the unsubscribe nor an ack (and jnats
            // refuses to drain on a closed one): what it holds is delivered again or was core NATS.
            if (connection.getStatus() == Connection.Status.CONNECTED) {
                Duration drainTimeout = Duration.ofNanos(drainDeadline - System.nanoTime());
                boolean drained = natsDispatcher.drain(drainTimeout).get(deadline - System.nanoTime(),
                        TimeUnit.NANOSECONDS);
                if (!drained || System.nanoTime() - drainDeadline >= 0) {
                    LOG.log(System.Logger.Level.WARNING, "tracewire: the NATS consumer of " + dispatcher.interfaceName
                            + " did not finish its messages within " + closeTimeout.toMillis() + " ms; JetStream"
                            + " delivers again what was not acknowledged, core NATS messages not handled are lost");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: draining the NATS consumer of "
                    + dispatcher.interfaceName + " did not finish cleanly", e);
        } finally {
            connection.removeConnectionListener(connectionClosed);
            if (connection.getStatus() != Connection.Status.CLOSED && natsDispatcher.isActive()) {
                connection.closeDispatcher(natsDispatcher);
            }
            releaseUnacknowledged();
            markStopped();
        }
    }

    /**
     * Naks what the stopped consumer did not handle, so that the durable's next consumer gets it
     * right away. On the connection, to the message's ack subject: jnats refuses {@code nak()} on a
     * message whose subscription is closed ("Message is not bound to a connection").
     */
    private void releaseUnacknowledged() {
        for (Message message = unacknowledged.poll(); message != null; message = unacknowledged.poll()) {
            nak(message);
        }
    }

    private void nak(Message message) {
        try {
            if (connection.getStatus() != Connection.Status.CLOSED) {
                connection.publish(message.getReplyTo(), NAK);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "tracewire: could not nak a message of the stopped consumer of "
                    + dispatcher.interfaceName + "; the server redelivers it after its ack wait", e);
        }
    }

    private void awaitQuietly() {
        try {
            awaitTermination(closeTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + dispatcher.interfaceName + " on NATS, running=" + isRunning() + "]";
    }
}
