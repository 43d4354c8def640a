package dev.tracewire.runtime.nats;

import dev.tracewire.runtime.Codec;
import io.nats.client.JetStreamStatusException;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.support.NatsRequestCompletableFuture;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends the requests of one generated NATS request method, each inside a PRODUCER span
 * {@code request <subject>} that ends when the reply arrived or did not. The responder's process
 * span continues the trace, and so does the reply. Called by generated code.
 *
 * @param <T> the request payload type
 * @param <R> the reply payload type
 */
public final class NatsRequester<T, R> {

    /** The status code of the server's "no responders" answer. */
    private static final int NO_RESPONDERS = 503;

    private final NatsSender<T> sender;
    private final Codec<R> replyCodec;
    private final Duration timeout;

    NatsRequester(NatsSender<T> sender, Codec<R> replyCodec) {
        this.sender = sender;
        this.replyCodec = replyCodec;
        this.timeout = sender.publisher.options.requestTimeout();
    }

    public Headers headers() {
        return new Headers();
    }

    /** Sends the request and waits for the reply; no reply is a {@link NatsRequestException}. */
    public R request(Headers headers, T payload) {
        try {
            return requestAsync(headers, payload).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a reply on " + sender.subject, e);
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
        NatsSender.Outgoing outgoing = sender.start(headers, payload);
        Completion<R> completion = new Completion<>(outgoing.span(), outgoing.parent());
        try {
            CompletableFuture<Message> reply = sender.publisher.connection
                    .requestWithTimeout(sender.subject, outgoing.headers(), outgoing.body(), timeout);
            // jnats times requests out only when its cleanup timer next runs (every 5 s by default),
            // so the timeout is enforced here; the timed-out future is then dropped by that cleanup.
            reply.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    .whenComplete((message, failure) -> complete(completion, reply, message, failure));
        } catch (RuntimeException failure) {
            completion.fail(failure);
        }
        return completion;
    }

    private void complete(Completion<R> completion, CompletableFuture<Message> request, Message reply,
            Throwable failure) {
        if (failure != null) {
            completion.fail(translate(request, failure));
            return;
        }
        if (reply.isStatusMessage() && reply.getStatus().getCode() == NO_RESPONDERS) {
            completion.fail(noResponders(null));
            return;
        }
        R decoded;
        try {
            decoded = replyCodec.decode(reply.getData());
        } catch (RuntimeException e) {
            completion.fail(e);
            return;
        }
        completion.succeed(decoded, span -> { });
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
            return new NatsRequestException(NatsRequestException.Reason.TIMEOUT, sender.subject,
                    "no reply on " + sender.subject + " within " + timeout.toMillis() + " ms", cause);
        }
        if (String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("no responders")) {
            return noResponders(cause);
        }
        return cause;
    }

    private NatsRequestException noResponders(Throwable cause) {
        return new NatsRequestException(NatsRequestException.Reason.NO_RESPONDERS, sender.subject,
                "no responders on " + sender.subject + ": nobody subscribes to it", cause);
    }
}
