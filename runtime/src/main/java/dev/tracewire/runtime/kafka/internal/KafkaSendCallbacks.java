package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.internal.SendFuture;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.UnobservedSend;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The shared ends of a send, as the Kafka producer's callback; a measured send's ({@code startNanos}
 * not 0) keeps when it started, an unmeasured one allocates no field for it.
 */
final class KafkaSendCallbacks {

    private KafkaSendCallbacks() {
    }

    /** The caller's future for a send that started at {@code startNanos} (0: not measured). */
    static Future future(SendOperation<?, RecordMetadata> operation, Span span, Context callerContext,
            long startNanos) {
        return startNanos == 0L ? new Future(operation, span, callerContext)
                : new TimedFuture(operation, span, callerContext, startNanos);
    }

    /** The callback of a fire-and-forget send that started at {@code startNanos} (0: not measured). */
    static Unobserved unobserved(SendOperation<?, RecordMetadata> operation, Span span, long startNanos) {
        return startNanos == 0L ? new Unobserved(operation, span) : new TimedUnobserved(operation, span, startNanos);
    }

    /** The caller's future: completes after the span ended, in the caller's context. */
    static class Future extends SendFuture<RecordMetadata> implements Callback {

        Future(SendOperation<?, RecordMetadata> operation, Span span, Context callerContext) {
            super(operation, span, callerContext);
        }

        @Override
        public final void onCompletion(RecordMetadata metadata, Exception failure) {
            finish(metadata, failure);
        }
    }

    private static final class TimedFuture extends Future {
        private final long startNanos;

        TimedFuture(SendOperation<?, RecordMetadata> operation, Span span, Context callerContext, long startNanos) {
            super(operation, span, callerContext);
            this.startNanos = startNanos;
        }

        @Override
        protected long startNanos() {
            return startNanos;
        }
    }

    /** Fire and forget: ends the span and logs a failure nobody else sees. */
    static class Unobserved extends UnobservedSend<RecordMetadata> implements Callback {

        Unobserved(SendOperation<?, RecordMetadata> operation, Span span) {
            super(operation, span);
        }

        @Override
        public final void onCompletion(RecordMetadata metadata, Exception failure) {
            finish(metadata, failure);
        }
    }

    private static final class TimedUnobserved extends Unobserved {
        private final long startNanos;

        TimedUnobserved(SendOperation<?, RecordMetadata> operation, Span span, long startNanos) {
            super(operation, span);
            this.startNanos = startNanos;
        }

        @Override
        protected long startNanos() {
            return startNanos;
        }
    }
}
