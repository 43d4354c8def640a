package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.internal.SendFuture;
import dev.tracewire.runtime.internal.SendOperation;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.Attributes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes the messages of one generated NATS publisher method through the shared send
 * lifecycle, each inside a PRODUCER span {@code publish <subject>}: on core NATS, or to the
 * JetStream stream that binds the subject.
 *
 * @param <T> the payload type
 */
public final class NatsSender<T> {

    private final NatsPublisher publisher;
    private final SendOperation<Outgoing, PublishAck> operation;
    /** The lifecycle of core publishes: {@code operation}, or one without spans where the Java agent makes them. */
    private final SendOperation<Outgoing, PublishAck> coreOperation;
    private final Codec<T> codec;
    private final String subject;

    NatsSender(NatsPublisher publisher, SendOperation<Outgoing, PublishAck> operation,
            SendOperation<Outgoing, PublishAck> coreOperation, Codec<T> codec) {
        this.publisher = publisher;
        this.operation = operation;
        this.coreOperation = coreOperation;
        this.codec = codec;
        this.subject = operation.destination();
    }

    /** Fresh headers for the message, for generated code that sets {@code @Header} values. */
    public Headers headers() {
        return new OutgoingHeaders();
    }

    /** Publishes on core NATS (fire and forget); a failure to publish is recorded and thrown. */
    public void publish(Headers headers, T payload) {
        publish(headers, payload, null);
    }

    /**
     * As {@link #publish(Headers, Object)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}).
     */
    public void publish(Headers headers, T payload, Attributes attributes) {
        Outgoing outgoing = Outgoing.prepare(coreOperation, codec, headers, payload, publisher.embedIn, attributes);
        try {
            publisher.connection.publish(subject, outgoing.headers(), outgoing.body());
        } catch (RuntimeException | Error failure) {
            coreOperation.end(outgoing.span(), outgoing.startNanos(), null, failure);
            throw failure;
        }
        coreOperation.end(outgoing.span(), outgoing.startNanos(), null, null);
    }

    /** Publishes to the JetStream stream that binds the subject and blocks until the stream acknowledged. */
    public PublishAck publishToStream(Headers headers, T payload) {
        return publishToStream(headers, payload, null);
    }

    /**
     * As {@link #publishToStream(Headers, Object)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}).
     */
    public PublishAck publishToStream(Headers headers, T payload, Attributes attributes) {
        Outgoing outgoing = Outgoing.prepare(operation, codec, headers, payload, publisher.embedIn, attributes);
        PublishAck ack;
        try {
            ack = publisher.jetStream().publish(subject, outgoing.headers(), outgoing.body());
        } catch (IOException | JetStreamApiException e) {
            operation.end(outgoing.span(), outgoing.startNanos(), null, e);
            throw (RuntimeException) forCaller(e);
        } catch (RuntimeException | Error failure) {
            operation.end(outgoing.span(), outgoing.startNanos(), null, failure);
            throw failure;
        }
        operation.end(outgoing.span(), outgoing.startNanos(), ack, null);
        return ack;
    }

    /**
     * Publishes to the JetStream stream that binds the subject; the future completes after the span
     * ended, with the acknowledgement or the failure, in the caller's context.
     */
    public CompletableFuture<PublishAck> publishToStreamAsync(Headers headers, T payload) {
        return publishToStreamAsync(headers, payload, null);
    }

    /**
     * As {@link #publishToStreamAsync(Headers, Object)}, with span attributes from the method's
     * parameters ({@code @SpanAttribute}).
     */
    public CompletableFuture<PublishAck> publishToStreamAsync(Headers headers, T payload, Attributes attributes) {
        Outgoing outgoing = Outgoing.prepare(operation, codec, headers, payload, publisher.embedIn, attributes);
        SendFuture<PublishAck> future =
                SendFuture.of(operation, outgoing.span(), outgoing.parent(), outgoing.startNanos());
        try {
            publisher.jetStream().publishAsync(subject, outgoing.headers(), outgoing.body())
                    .whenComplete((ack, failure) -> {
                        if (failure == null) {
                            future.finish(ack, null);
                        } else {
                            Throwable cause = unwrap(failure);
                            future.finish(null, cause, forCaller(cause));
                        }
                    });
        } catch (RuntimeException failure) {
            future.finish(null, failure);
        }
        return future;
    }

    /**
     * What an asynchronous publish failed with: jnats hands the failure over wrapped in a
     * {@link CompletionException} and, for its checked exceptions, in a plain
     * {@link RuntimeException}; the span records the failure itself, as for {@link #publishToStream}.
     */
    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause.getClass() == RuntimeException.class
                && (cause.getCause() instanceof IOException || cause.getCause() instanceof JetStreamApiException)) {
            return cause.getCause();
        }
        return cause;
    }

    /** What the caller of a JetStream publish gets for {@code failure}: its checked exceptions made unchecked. */
    private Throwable forCaller(Throwable failure) {
        if (failure instanceof IOException e) {
            return new UncheckedIOException(e);
        }
        if (failure instanceof JetStreamApiException e) {
            return new IllegalStateException("JetStream refused the message on " + subject + ": " + e.getMessage(), e);
        }
        return failure;
    }
}
