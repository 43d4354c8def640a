package dev.tracewire.runtime.nats;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_SEQUENCE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_STREAM;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.OPERATION_TYPE_SEND;
import static dev.tracewire.runtime.internal.MessagingAttributes.SYSTEM_NATS;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.Codecs;
import dev.tracewire.runtime.internal.JsonSupport;
import dev.tracewire.runtime.internal.Tracing;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes the messages of one generated NATS publisher method, each inside a PRODUCER span
 * {@code publish <subject>} whose name and fixed attributes are built once, here. Called by
 * generated code.
 *
 * @param <T> the payload type
 */
public final class NatsSender<T> {

    private static final String OPERATION_NAME = "publish";
    private static final byte[] EMPTY = new byte[0];

    final NatsPublisher publisher;
    final String subject;
    private final Codec<T> codec;
    private final String spanName;
    private final Attributes startAttributes;

    NatsSender(NatsPublisher publisher, String subject, Codec<T> codec) {
        this(publisher, subject, codec, OPERATION_NAME);
    }

    NatsSender(NatsPublisher publisher, String subject, Codec<T> codec, String operationName) {
        this.publisher = publisher;
        this.subject = subject;
        this.codec = codec;
        this.spanName = operationName + " " + subject;
        AttributesBuilder attributes = Attributes.builder()
                .put(MESSAGING_SYSTEM, SYSTEM_NATS)
                .put(MESSAGING_DESTINATION_NAME, subject)
                .put(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_SEND)
                .put(MESSAGING_OPERATION_NAME, operationName);
        publisher.endpoint.addTo(attributes);
        this.startAttributes = attributes.build();
    }

    /** Fresh headers for the message, for generated code that sets {@code @Header} values. */
    public Headers headers() {
        return new Headers();
    }

    /** Publishes on core NATS (fire and forget); a failure to publish is recorded and thrown. */
    public void publish(Headers headers, T payload) {
        Outgoing outgoing = start(headers, payload);
        try {
            publisher.connection.publish(subject, outgoing.headers, outgoing.body);
        } catch (RuntimeException | Error failure) {
            Tracing.fail(outgoing.span, failure);
            throw failure;
        } finally {
            outgoing.span.end();
        }
    }

    /** Publishes to the JetStream stream that binds the subject and blocks until the stream acknowledged. */
    public PublishAck publishToStream(Headers headers, T payload) {
        Outgoing outgoing = start(headers, payload);
        try {
            PublishAck ack = publisher.jetStream().publish(subject, outgoing.headers, outgoing.body);
            recordAck(outgoing.span, ack);
            return ack;
        } catch (IOException e) {
            Tracing.fail(outgoing.span, e);
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            Tracing.fail(outgoing.span, e);
            throw new IllegalStateException("JetStream refused the message on " + subject + ": " + e.getMessage(), e);
        } catch (RuntimeException | Error failure) {
            Tracing.fail(outgoing.span, failure);
            throw failure;
        } finally {
            outgoing.span.end();
        }
    }

    /**
     * Publishes to the JetStream stream that binds the subject; the future completes after the span
     * ended, with the acknowledgement or the failure, in the caller's context.
     */
    public CompletableFuture<PublishAck> publishToStreamAsync(Headers headers, T payload) {
        Outgoing outgoing = start(headers, payload);
        Completion<PublishAck> completion = new Completion<>(outgoing.span, outgoing.parent);
        try {
            publisher.jetStream().publishAsync(subject, outgoing.headers, outgoing.body).whenComplete((ack, failure) -> {
                if (failure == null) {
                    completion.succeed(ack, span -> recordAck(span, ack));
                } else {
                    Throwable cause = unwrap(failure);
                    RuntimeException forCaller = forCaller(cause);
                    completion.fail(cause, forCaller != null ? forCaller : cause);
                }
            });
        } catch (RuntimeException failure) {
            completion.fail(failure);
        }
        return completion;
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

    /** What the caller of {@link #publishToStreamAsync} gets for {@code failure}: what {@link #publishToStream} throws. */
    private RuntimeException forCaller(Throwable failure) {
        if (failure instanceof IOException e) {
            return new UncheckedIOException(e);
        }
        if (failure instanceof JetStreamApiException e) {
            return new IllegalStateException("JetStream refused the message on " + subject + ": " + e.getMessage(), e);
        }
        return null;
    }

    private static void recordAck(Span span, PublishAck ack) {
        if (span.isRecording()) {
            span.setAttribute(MESSAGING_NATS_STREAM, ack.getStream());
            span.setAttribute(MESSAGING_NATS_SEQUENCE, ack.getSeqno());
        }
    }

    /** Encodes the payload, starts the span and injects its context; the span is the caller's to end. */
    Outgoing start(Headers headers, T payload) {
        byte[] body = codec == null ? EMPTY : codec.encode(payload);
        Context parent = Context.current();
        if (!publisher.tracing) {
            return new Outgoing(Span.getInvalid(), parent, headers == null || headers.isEmpty() ? null : headers, body);
        }
        SpanBuilder builder = publisher.tracer.spanBuilder(spanName)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAllAttributes(startAttributes);
        if (publisher.options.captureBodySize()) {
            builder.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, (long) body.length);
        }
        Span span = builder.startSpan();
        Context context = parent.with(span);
        Headers carrier = headers != null ? headers : new Headers();
        publisher.propagator.inject(context, carrier, NatsHeaders.SETTER);
        if (publisher.options.embedContextInPayload() && Codecs.jsonAvailable()) {
            Map<String, String> embedded = new HashMap<>();
            publisher.propagator.inject(context, embedded, Map::put);
            if (!embedded.isEmpty()) {
                body = JsonSupport.embed(body, publisher.options.payloadContextField(), embedded);
            }
        }
        return new Outgoing(span, parent, carrier.isEmpty() ? null : carrier, body);
    }

    /** A message ready to go out, and the span it goes out in. */
    record Outgoing(Span span, Context parent, Headers headers, byte[] body) {
    }
}
