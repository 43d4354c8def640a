package dev.tracewire.runtime.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * The future a caller gets for one send, which is also the end of the send's span: the first
 * outcome ends the span exactly once, and only then completes the future, in the caller's context,
 * so that dependents run after the span ended and never in the context of the thread that reported
 * the outcome. Systems subclass it to receive their client's callback.
 *
 * @param <A> what the caller gets: the acknowledgement, or a reply
 */
public class SendFuture<A> extends CompletableFuture<A> {

    private static final VarHandle ENDED;

    static {
        try {
            ENDED = MethodHandles.lookup().findVarHandle(SendFuture.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final SendOperation<?, A> operation;
    private final Span span;
    private final Context callerContext;
    private final long startNanos;
    @SuppressWarnings("unused") // written through ENDED
    private volatile boolean ended;

    /**
     * @param span the send's span, {@link Span#getInvalid()} when untraced
     * @param callerContext the context the caller sent in, in which dependents run
     * @param startNanos when the send started ({@link SendOperation#clock()})
     */
    public SendFuture(SendOperation<?, A> operation, Span span, Context callerContext, long startNanos) {
        this.operation = operation;
        this.span = span;
        this.callerContext = callerContext;
        this.startNanos = startNanos;
    }

    /** Ends the span with this outcome and completes the future with it; later outcomes are ignored. */
    public final void finish(A result, Throwable failure) {
        finish(result, failure, failure);
    }

    /**
     * As {@link #finish(Object, Throwable)}, recording {@code recorded} on the span but completing
     * the future with {@code forCaller}, when the caller is promised another exception type.
     */
    public final void finish(A result, Throwable recorded, Throwable forCaller) {
        if (!ENDED.compareAndSet(this, false, true)) {
            return;
        }
        operation.end(span, startNanos, result, recorded);
        Scope scope = callerContext.makeCurrent();
        try {
            if (forCaller == null) {
                complete(result);
            } else {
                completeExceptionally(forCaller);
            }
        } finally {
            scope.close();
        }
    }
}
