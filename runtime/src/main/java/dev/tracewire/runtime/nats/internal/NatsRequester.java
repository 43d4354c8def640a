package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.internal.SendFuture;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.nats.NatsRequestException;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the requests of one generated NATS request method through the shared send lifecycle,
 * each inside a PRODUCER span {@code request <subject>} that ends when the reply arrived or did
 * not. The responder's process span continues the trace, and so does the reply.
 *
 * @param <T> the request payload type
 * @param <R> the reply payload type
 */
public final class NatsRequester<T, R> {

    /** The status code of the server's "no responders" answer. */
    private static final int NO_RESPONDERS = 503;

    private final NatsPublisher publisher;
    private final SendOperation<Outgoing, R> operation;
    private final Codec<T> requestCodec;
    private final Codec<R> replyCodec;
    private final String subject;
    private final Duration timeout;

    NatsRequester(NatsPublisher publisher, SendOperation<Outgoing, R> operation, Codec<T> requestCodec,
            Codec<R> replyCodec) {
        this.publisher = publisher;
        this.operation = operation;
        this.requestCodec = requestCodec;
        this.replyCodec = replyCodec;
        this.subject = operation.destination();
        this.timeout = publisher.requestTimeout;
    }

    public Headers headers() {
        return new OutgoingHeaders();
    }

    /** Sends the request and waits for the reply; no reply is a {@link NatsRequestException}. */
    public R request(Headers headers, T payload) {
        return request(headers, payload, null);
    }

    /**
     * As {@link #request(Headers, Object)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}).
     */
    public R request(Headers headers, T payload, Attributes attributes) {
        try {
            return requestAsync(headers, payload, attributes).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a reply on " + subject, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Sends the request; the future completes, after the span ended, with the decoded reply or the failure. */
    public CompletableFuture<R> requestAsync(Headers headers, T payload) {
        return requestAsync(headers, payload, null);
    }

    /**
     * As {@link #requestAsync(Headers, Object)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}).
     */
    public CompletableFuture<R> requestAsync(Headers headers, T payload, Attributes attributes) {
        Outgoing outgoing = Outgoing.prepare(operation, requestCodec, headers, payload, publisher.embedIn,
                attributes);
        SendFuture<R> future = SendFuture.of(operation, outgoing.span(), outgoing.parent(), outgoing.startNanos());
        try {
            CompletableFuture<Message> reply = publisher.connection
                    .requestWithTimeout(subject, outgoing.headers(), outgoing.body(), timeout);
            // jnats times requests out only when its cleanup timer next runs (every 5 s by default),
            // so the timeout is enforced here; the timed-out future is then dropped by that cleanup.
            reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .whenComplete((message, failure) -> complete(future, reply, message, failure));
        } catch (RuntimeException failure) {
            future.finish(null, failure);
        }
        return future;
    }

    private void complete(SendFuture<R> future, CompletableFuture<Message> request, Message reply,
            Throwable failure) {
        if (failure != null) {
            future.finish(null, translate(request, failure));
            return;
        }
        if (reply.isStatusMessage() && reply.getStatus().getCode() == NO_RESPONDERS) {
            future.finish(null, noResponders(null));
            return;
        }
        R decoded;
        try {
            decoded = replyCodec.decode(reply.getData());
        } catch (RuntimeException e) {
            future.finish(null, e);
            return;
        }
        future.finish(decoded, null);
    }

    /**
     * What a failed request means. jnats (unless the connection was built with
     * {@code reportNoResponders()}) signals the server's 503 "no responders" by cancelling the
     * request's future, which looks like its own timeout and connection-closing cancellations
     * except for the flags of its {@link NatsRequestCompletableFuture}.
     */
    private Throwable translate(CompletableFuture<Message> request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof JetStreamStatusException status && status.getStatus().getCode() == NO_RESPONDERS) {
            return noResponders(cause);
        }
        if (cause instanceof CancellationException && request instanceof NatsRequestCompletableFuture future) {
            if (future.wasCancelledClosing()) {
                return cause;
            }
            if (!future.wasCancelledTimedOut()) {
                return noResponders(cause);
            }
        }
        if (cause instanceof TimeoutException || cause instanceof CancellationException) {
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            if (message.toLowerCase(Locale.ROOT).contains("no responders")) {
                return noResponders(cause);
            }
            return new NatsRequestException(NatsRequestException.Reason.TIMEOUT, subject,
                    "no reply on " + subject + " within " + timeout.toMillis() + " ms", cause);
        }
        if (String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("no responders")) {
            return noResponders(cause);
        }
        return cause;
    }

    private NatsRequestException noResponders(Throwable cause) {
        return new NatsRequestException(NatsRequestException.Reason.NO_RESPONDERS, subject,
                "no responders on " + subject + ": nobody subscribes to it", cause);
    }
}
