package dev.tracewire.runtime.kafka;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_PARTITION_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_OFFSET;

import dev.tracewire.runtime.internal.PartitionIds;
import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The end of one send: the producer's callback and the future handed to the caller in one object.
 * It ends the span exactly once, then completes the future in the caller's context.
 */
final class SendCompletion extends CallerContextCompletion {

    private static final System.Logger LOG = System.getLogger(SendCompletion.class.getName());
    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(SendCompletion.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Span span;
    private final String topic;
    @SuppressWarnings("unused") // written through ENDED
    private volatile boolean ended;

    SendCompletion(Span span, Context callerContext, String topic) {
        super(callerContext);
        this.span = span;
        this.topic = topic;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception failure) {
        if (!ENDED.compareAndSet(this, false, true)) {
            return;
        }
        end(span, metadata, failure, topic, false); // the caller sees the failure
        completeInCallerContext(metadata, failure);
    }

    /**
     * Ends {@code span} with the outcome of its send: partition and offset on success; on failure
     * the exception, status and {@code error.type}, and a warning in the log when nobody else sees it.
     */
    static void end(Span span, RecordMetadata metadata, Exception failure, String topic, boolean logFailure) {
        if (failure == null) {
            if (span.isRecording()) {
                span.setAttribute(MESSAGING_DESTINATION_PARTITION_ID, PartitionIds.of(metadata.partition()));
                if (metadata.hasOffset()) {
                    span.setAttribute(MESSAGING_KAFKA_OFFSET, metadata.offset());
                }
            }
        } else {
            Tracing.fail(span, failure);
            if (logFailure) {
                logFailure(topic, failure);
            }
        }
        span.end();
    }

    static void logFailure(String topic, Exception failure) {
        LOG.log(System.Logger.Level.WARNING, "tracewire: sending a record to topic " + topic + " failed", failure);
    }

    /** Ends the span for a failure the producer threw instead of reporting it to the callback. */
    void failSynchronously(Throwable failure) {
        if (ENDED.compareAndSet(this, false, true)) {
            Tracing.fail(span, failure);
            span.end();
            completeExceptionally(failure);
        }
    }
}
