package dev.tracewire.processor.model;

/** What the annotated interface is for. */
public enum Role {
    /** {@code @TracedPublisher}: every method sends a message. */
    PUBLISHER,
    /** {@code @TracedConsumer}: every method handles a message. */
    CONSUMER
}
