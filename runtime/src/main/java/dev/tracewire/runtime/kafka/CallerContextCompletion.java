package dev.tracewire.runtime.kafka;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The producer's callback and the caller's future in one object: the future completes with the
 * send's outcome in the caller's context, so dependents never run in the producer thread's. Used as
 * it is for sends with a no-op {@code OpenTelemetry}; {@link SendCompletion} ends a span first.
 */
class CallerContextCompletion extends CompletableFuture<RecordMetadata> implements Callback {

    private final Context callerContext;

    CallerContextCompletion(Context callerContext) {
        this.callerContext = callerContext;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception failure) {
        completeInCallerContext(metadata, failure);
    }

    final void completeInCallerContext(RecordMetadata metadata, Throwable failure) {
        Scope scope = callerContext.makeCurrent();
        try {
            if (failure == null) {
                complete(metadata);
            } else {
                completeExceptionally(failure);
            }
        } finally {
            scope.close();
        }
    }
}
