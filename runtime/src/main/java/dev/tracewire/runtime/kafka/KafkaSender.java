package dev.tracewire.runtime.kafka;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CLIENT_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_KEY;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_TOMBSTONE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.OPERATION_TYPE_SEND;
import static dev.tracewire.runtime.internal.MessagingAttributes.SYSTEM_KAFKA;

import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Sends the records of one generated publisher method, each inside a PRODUCER span
 * {@code send <topic>}. The span name and the start attributes that do not depend on the message
 * are built once, here; per message only the key and tombstone attributes are added. Called by
 * generated code.
 *
 * @param <K> the producer's key type
 * @param <V> the producer's value type
 */
public final class KafkaSender<K, V> {

    private static final String OPERATION_NAME = "send";

    private final KafkaPublisher<K, V> publisher;
    private final String topic;
    private final String spanName;
    private final Attributes startAttributes;
    /** For fire-and-forget sends without tracing: logs asynchronous failures, built once. */
    private final Callback logFailure;

    KafkaSender(KafkaPublisher<K, V> publisher, String topic) {
        this.publisher = publisher;
        this.topic = topic;
        this.spanName = OPERATION_NAME + " " + topic;
        AttributesBuilder attributes = Attributes.builder()
                .put(MESSAGING_SYSTEM, SYSTEM_KAFKA)
                .put(MESSAGING_DESTINATION_NAME, topic)
                .put(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_SEND)
                .put(MESSAGING_OPERATION_NAME, OPERATION_NAME);
        if (publisher.clientId != null) {
            attributes.put(MESSAGING_CLIENT_ID, publisher.clientId);
        }
        this.startAttributes = attributes.build();
        this.logFailure = (metadata, failure) -> {
            if (failure != null) {
                SendCompletion.logFailure(topic, failure);
            }
        };
    }

    /** The topic this sender sends to. */
    public String topic() {
        return topic;
    }

    /** A new record for this sender's topic, with empty, writable headers. */
    public ProducerRecord<K, V> record(K key, V value) {
        return new ProducerRecord<>(topic, key, value);
    }

    /**
     * Sends {@code record} and returns a future that completes, after the span has ended, with the
     * broker's acknowledgement or the failure, synchronous ones included. The future's dependents
     * run in the caller's context.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        if (!publisher.tracing) {
            return sendUntraced(record);
        }
        Context parent = Context.current();
        SendCompletion completion = new SendCompletion(start(record, parent), parent, topic);
        try {
            publisher.producer.send(record, completion);
        } catch (RuntimeException failure) {
            completion.onCompletion(null, failure);
        } catch (Error error) {
            completion.failSynchronously(error);
            throw error;
        }
        return completion;
    }

    /**
     * Sends {@code record} without waiting: a synchronous failure is thrown, an asynchronous one is
     * recorded on the span and logged.
     */
    public void sendAndForget(ProducerRecord<K, V> record) {
        if (!publisher.tracing) {
            publisher.producer.send(record, logFailure);
            return;
        }
        Span span = start(record);
        if (!span.isRecording()) {
            // Sampled out: the span's end records nothing and the shared callback logs failures.
            span.end();
            publisher.producer.send(record, logFailure);
            return;
        }
        ForgetCallback callback = new ForgetCallback(span, topic);
        try {
            publisher.producer.send(record, callback);
        } catch (RuntimeException | Error failure) {
            callback.failSynchronously(failure);
            throw failure;
        }
    }

    /**
     * Sends {@code record} and blocks until the broker acknowledged it; a failure is thrown as the
     * Kafka client throws it, an interrupt as {@link InterruptException}.
     */
    public RecordMetadata sendAndWait(ProducerRecord<K, V> record) {
        CompletableFuture<RecordMetadata> result = send(record);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new KafkaException(cause);
        }
    }

    private CompletableFuture<RecordMetadata> sendUntraced(ProducerRecord<K, V> record) {
        CallerContextCompletion completion = new CallerContextCompletion(Context.current());
        try {
            publisher.producer.send(record, completion);
        } catch (RuntimeException failure) {
            completion.onCompletion(null, failure);
        }
        return completion;
    }

    /** Starts the send's span as a child of the current context and injects it into the record's headers. */
    private Span start(ProducerRecord<K, V> record) {
        return start(record, Context.current());
    }

    private Span start(ProducerRecord<K, V> record, Context parent) {
        SpanBuilder builder = publisher.tracer.spanBuilder(spanName)
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(parent)
                .setAllAttributes(startAttributes);
        K key = record.key();
        if (key != null && publisher.captureMessageKey) {
            builder.setAttribute(MESSAGING_KAFKA_MESSAGE_KEY, Tracing.keyString(key));
        }
        if (record.value() == null) {
            builder.setAttribute(MESSAGING_KAFKA_MESSAGE_TOMBSTONE, true);
        }
        Span span = builder.startSpan();
        publisher.propagator.inject(parent.with(span), record.headers(), KafkaHeaders.SETTER);
        return span;
    }
}
