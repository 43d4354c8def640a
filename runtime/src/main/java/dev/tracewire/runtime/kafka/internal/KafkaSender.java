package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.internal.Instruments;
import dev.tracewire.runtime.internal.SendOperation;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;

/**
 * Sends the records of one generated publisher method through the shared send lifecycle, each
 * inside a PRODUCER span {@code send <topic>}, in the three ways a method can return.
 *
 * @param <K> the producer's key type
 * @param <V> the producer's value type
 */
public final class KafkaSender<K, V> {

    private static final System.Logger LOG = System.getLogger(KafkaSender.class.getName());

    private final Producer<K, V> producer;
    private final SendOperation<ProducerRecord<?, ?>, RecordMetadata> operation;
    /** For fire-and-forget sends without a recording span: logs asynchronous failures, built once. */
    private final Callback logFailure;
    /** Whether the context also goes to the value's serializer, to be embedded in the payload. */
    private final boolean embedsInPayload;
    /** Set once a record went out with the context still in its handed-over headers. */
    private final AtomicBoolean warnedNotEmbedded = new AtomicBoolean();

    KafkaSender(KafkaPublisher<K, V> publisher, SendOperation<ProducerRecord<?, ?>, RecordMetadata> operation) {
        this.producer = publisher.producer;
        this.operation = operation;
        this.embedsInPayload = publisher.embedsInPayload;
        this.logFailure = (metadata, failure) -> {
            if (failure != null) {
                operation.logUnobservedFailure(failure);
            }
        };
    }

    /** The topic this sender sends to. */
    public String topic() {
        return operation.destination();
    }

    /** A new record for this sender's topic, with empty, writable headers. */
    public ProducerRecord<K, V> record(K key, V value) {
        return new ProducerRecord<>(operation.destination(), key, value);
    }

    /**
     * Sends {@code record} and returns a future that completes, after the span has ended, with the
     * broker's acknowledgement or the failure, synchronous ones included. The future's dependents
     * run in the caller's context.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record) {
        return send(record, null);
    }

    /**
     * As {@link #send(ProducerRecord)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}), set at the span's start.
     */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<K, V> record, Attributes attributes) {
        Context caller = Context.current();
        Instruments instruments = operation.instruments();
        long startNanos = operation.clock(instruments);
        Span span = operation.start(instruments, caller, record, null, attributes);
        if (embedsInPayload) {
            handOverToSerializer(caller, span, record);
        }
        KafkaSendCallbacks.Future future = KafkaSendCallbacks.future(operation, span, caller, startNanos);
        try {
            producer.send(record, future);
        } catch (RuntimeException failure) {
            future.finish(null, failure);
        } catch (Error error) {
            future.finish(null, error);
            throw error;
        }
        if (embedsInPayload) {
            checkEmbedded(record);
        }
        return future;
    }

    /**
     * Sends {@code record} without waiting: a synchronous failure is thrown, an asynchronous one is
     * recorded on the span and logged.
     */
    public void sendAndForget(ProducerRecord<K, V> record) {
        sendAndForget(record, null);
    }

    /**
     * As {@link #sendAndForget(ProducerRecord)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}), set at the span's start.
     */
    public void sendAndForget(ProducerRecord<K, V> record, Attributes attributes) {
        Instruments instruments = operation.instruments();
        long startNanos = operation.clock(instruments);
        Context caller = Context.current();
        Span span = operation.start(instruments, caller, record, null, attributes);
        if (embedsInPayload) {
            handOverToSerializer(caller, span, record);
        }
        if (!span.isRecording() && startNanos == 0L && !embedsInPayload) {
            // Untraced or sampled out, and not measured: the span's end records nothing and the shared
            // callback logs failures.
            operation.end(span, 0L, null, null);
            producer.send(record, logFailure);
            return;
        }
        KafkaSendCallbacks.Unobserved callback = KafkaSendCallbacks.unobserved(operation, span, startNanos);
        try {
            producer.send(record, callback);
        } catch (RuntimeException | Error failure) {
            callback.finish(null, failure, false);
            throw failure;
        }
        if (embedsInPayload) {
            checkEmbedded(record);
        }
    }

    /** Puts the context the record carries where a {@code KafkaPayloadCarrier} serializer embeds it. */
    private void handOverToSerializer(Context caller, Span span, ProducerRecord<K, V> record) {
        Map<String, String> fields = operation.carriedFields(caller, span);
        if (!fields.isEmpty()) {
            PayloadContextHeaders.handOver(record.headers(), fields);
        }
    }

    /**
     * Warns once when the serializer left the handed-over context in the headers (and so on the
     * broker): the producer's value serializer is not wrapped.
     */
    private void checkEmbedded(ProducerRecord<K, V> record) {
        if (PayloadContextHeaders.stillHandedOver(record.headers()) && warnedNotEmbedded.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: the options embed the trace context in payloads, but"
                    + " the value serializer of the producer sending to " + topic() + " is not wrapped by"
                    + " KafkaPayloadCarrier.serializer(...): the context went out in headers named "
                    + "tracewire.payload-context.* instead. Wrap the serializer, or turn embedding off");
        }
    }

    /**
     * Sends {@code record} and blocks until the broker acknowledged it; a failure is thrown as the
     * Kafka client throws it, an interrupt as {@link InterruptException}.
     */
    public RecordMetadata sendAndWait(ProducerRecord<K, V> record) {
        return sendAndWait(record, null);
    }

    /**
     * As {@link #sendAndWait(ProducerRecord)}, with span attributes from the method's parameters
     * ({@code @SpanAttribute}), set at the span's start.
     */
    public RecordMetadata sendAndWait(ProducerRecord<K, V> record, Attributes attributes) {
        CompletableFuture<RecordMetadata> result = send(record, attributes);
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
}
