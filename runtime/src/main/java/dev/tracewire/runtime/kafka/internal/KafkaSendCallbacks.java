package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.internal.SendFuture;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.UnobservedSend;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The shared ends of a send, as the Kafka producer's callback. */
final class KafkaSendCallbacks {

    private KafkaSendCallbacks() {
    }

    /** The caller's future: completes after the span ended, in the caller's context. */
    static final class Future extends SendFuture<RecordMetadata> implements Callback {

        Future(SendOperation<?, RecordMetadata> operation, Span span, Context callerContext, long startNanos) {
            super(operation, span, callerContext, startNanos);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            finish(metadata, failure);
        }
    }

    /** Fire and forget: ends the span and logs a failure nobody else sees. */
    static final class Unobserved extends UnobservedSend<RecordMetadata> implements Callback {

        Unobserved(SendOperation<?, RecordMetadata> operation, Span span, long startNanos) {
            super(operation, span, startNanos);
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception failure) {
            finish(metadata, failure);
        }
    }
}
