package dev.tracewire.runtime.internal;

import io.opentelemetry.api.trace.Span;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The end of a send nobody waits for (fire and forget): the first outcome ends the span exactly
 * once, and a failure is logged, since no caller sees it. Systems subclass it to receive their
 * client's callback.
 *
 * @param <A> what the broker acknowledges a message with
 */
public class UnobservedSend<A> {

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(UnobservedSend.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SendOperation<?, A> operation;
    private final Span span;
    @SuppressWarnings("unused") // written through ENDED
    private volatile boolean ended;

    /** A send that is not measured; a subclass that is overrides {@link #startNanos()}. */
    public UnobservedSend(SendOperation<?, A> operation, Span span) {
        this.operation = operation;
        this.span = span;
    }

    /** When the send started ({@link SendOperation#clock(Instruments)}), for its duration metric; 0 when not measured. */
    protected long startNanos() {
        return 0L;
    }

    /** Ends the span with this outcome and logs a failure; later outcomes are ignored. */
    public final void finish(A ack, Throwable failure) {
        finish(ack, failure, true);
    }

    /**
     * As {@link #finish(Object, Throwable)}, logging a failure only when {@code log}: a failure
     * thrown to the caller is the caller's to see.
     */
    public final void finish(A ack, Throwable failure, boolean log) {
        if (!ENDED.compareAndSet(this, false, true)) {
            return;
        }
        operation.end(span, startNanos(), ack, failure);
        if (failure != null && log) {
            operation.logUnobservedFailure(failure);
        }
    }
}
