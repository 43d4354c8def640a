package dev.tracewire.runtime.kafka;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The producer's callback and the caller's future in one object, for sends with a no-op
 * {@code OpenTelemetry}: no span, but the same promise that dependents run in the caller's context.
 */
final class UntracedCompletion extends CompletableFuture<RecordMetadata> implements Callback {

    private final Context callerContext;

    UntracedCompletion(Context callerContext) {
        this.callerContext = callerContext;
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception failure) {
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
