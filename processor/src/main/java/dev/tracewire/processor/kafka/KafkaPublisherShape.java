package dev.tracewire.processor.kafka;

/** How a Kafka publisher method hands the outcome of its send back to its caller. */
enum KafkaPublisherShape {
    /** Fire and forget: synchronous failures are thrown, asynchronous ones recorded and logged. */
    VOID,
    /** A future of the {@code RecordMetadata}: {@code CompletableFuture}, {@code CompletionStage} or {@code Future}. */
    FUTURE,
    /** The {@code RecordMetadata} itself, after blocking for it. */
    BLOCKING
}
