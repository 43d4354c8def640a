package dev.tracewire.runtime.nats;

import dev.tracewire.runtime.Codec;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
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
            sender.publisher.connection
                    .requestWithTimeout(sender.subject, outgoing.headers(), outgoing.body(), timeout)
                    .whenComplete((reply, failure) -> complete(completion, reply, failure));
        } catch (RuntimeException failure) {
            completion.fail(failure);
        }
        return completion;
    }

    private void complete(Completion<R> completion, Message reply, Throwable failure) {
        if (failure != null) {
            completion.fail(translate(failure));
            return;
        }
        if (reply.isStatusMessage() && reply.getStatus().getCode() == 503) {
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

    private Throwable translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
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
