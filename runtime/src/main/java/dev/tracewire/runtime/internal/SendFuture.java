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
    @SuppressWarnings("unused") // written through ENDED
    private volatile boolean ended;

    /**
     * A send that is not measured ({@link SendOperation#clock(Instruments)} gave 0); {@link Timed} keeps the
     * start of one that is, so that the common case allocates no field it does not use.
     *
     * @param span the send's span, {@link Span#getInvalid()} when untraced
     * @param callerContext the context the caller sent in, in which dependents run
     */
    public SendFuture(SendOperation<?, A> operation, Span span, Context callerContext) {
        this.operation = operation;
        this.span = span;
        this.callerContext = callerContext;
    }

    /** The future of a send that started at {@code startNanos} ({@link SendOperation#clock(Instruments)}; 0 when not measured). */
    public static <A> SendFuture<A> of(SendOperation<?, A> operation, Span span, Context callerContext,
            long startNanos) {
        return startNanos == 0L ? new SendFuture<>(operation, span, callerContext)
                : new Timed<>(operation, span, callerContext, startNanos);
    }

    /** When the send started, for its duration metric; 0 when it is not measured. */
    protected long startNanos() {
        return 0L;
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
        operation.end(span, startNanos(), result, recorded);
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

    /** A measured send's future: the same, with when it started. */
    public static class Timed<A> extends SendFuture<A> {

        private final long startNanos;

        public Timed(SendOperation<?, A> operation, Span span, Context callerContext, long startNanos) {
            super(operation, span, callerContext);
            this.startNanos = startNanos;
        }

        @Override
        protected final long startNanos() {
            return startNanos;
        }
    }
}
