package dev.tracewire.runtime.nats;

import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The future handed to the caller of an asynchronous NATS operation: it ends the span exactly once,
 * then completes in the caller's context, so dependents never run in a leaked scope.
 */
final class Completion<R> extends CompletableFuture<R> {

    private final Span span;
    private final Context callerContext;
    private final AtomicBoolean ended = new AtomicBoolean();

    Completion(Span span, Context callerContext) {
        this.span = span;
        this.callerContext = callerContext;
    }

    void succeed(R value, Consumer<Span> endAttributes) {
        if (ended.compareAndSet(false, true)) {
            if (span.isRecording()) {
                endAttributes.accept(span);
            }
            span.end();
            Scope scope = callerContext.makeCurrent();
            try {
                complete(value);
            } finally {
                scope.close();
            }
        }
    }

    void fail(Throwable failure) {
        fail(failure, failure);
    }

    /** Records {@code recorded} on the span and completes with {@code forCaller}. */
    void fail(Throwable recorded, Throwable forCaller) {
        if (ended.compareAndSet(false, true)) {
            Tracing.fail(span, recorded);
            span.end();
            Scope scope = callerContext.makeCurrent();
            try {
                completeExceptionally(forCaller);
            } finally {
                scope.close();
            }
        }
    }
}
