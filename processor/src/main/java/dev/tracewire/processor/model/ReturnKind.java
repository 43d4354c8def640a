package dev.tracewire.processor.model;

/** How a publisher method hands the outcome of a send back to its caller. */
public enum ReturnKind {
    /** Fire and forget: synchronous failures are thrown, asynchronous ones recorded and logged. */
    VOID,
    /** A future of the acknowledgement: {@code CompletableFuture}, {@code CompletionStage} or {@code Future}. */
    FUTURE,
    /** The acknowledgement itself, after blocking for it. */
    BLOCKING
}
