package dev.tracewire.runtime.kafka;

import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.trace.Span;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The producer's callback for a fire-and-forget send of a recording span: it ends the span exactly
 * once with the send's outcome and logs a failure, and nothing else; no future, since nobody waits.
 */
final class ForgetCallback implements Callback {

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(ForgetCallback.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Span span;
    private final String topic;
    @SuppressWarnings("unused") // written through ENDED
    private volatile boolean ended;

    ForgetCallback(Span span, String topic) {
        this.span = span;
        this.topic = topic;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception failure) {
        if (ENDED.compareAndSet(this, false, true)) {
            SendCompletion.end(span, metadata, failure, topic, true);
        }
    }

    /** Ends the span for a failure the producer threw instead of reporting it to the callback. */
    void failSynchronously(Throwable failure) {
        if (ENDED.compareAndSet(this, false, true)) {
            Tracing.fail(span, failure);
            span.end();
        }
    }
}
