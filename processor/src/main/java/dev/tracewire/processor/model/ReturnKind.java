package dev.tracewire.processor.model;

/** How a method hands the outcome of a send back to its caller, or, for a responder, its reply. */
public enum ReturnKind {
    /** Fire and forget: synchronous failures are thrown, asynchronous ones recorded and logged. */
    VOID,
    /** A future of the acknowledgement: {@code CompletableFuture}, {@code CompletionStage} or {@code Future}. */
    FUTURE,
    /** The acknowledgement itself, after blocking for it. */
    BLOCKING,
    /** NATS: to JetStream, blocking for the acknowledgement, returning nothing. */
    STREAM_VOID,
    /** NATS: to JetStream, returning the {@code PublishAck}. */
    STREAM_ACK,
    /** NATS: to JetStream, returning a future of the {@code PublishAck}. */
    STREAM_ACK_FUTURE,
    /** NATS: a request, returning the decoded reply. */
    REQUEST,
    /** NATS: a request, returning a future of the decoded reply. */
    REQUEST_FUTURE,
    /** NATS consumer: a responder whose value is published to the reply subject. */
    RESPONDER
}
