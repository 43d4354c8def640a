package dev.tracewire.processor.model;

/** The broker an interface talks to, decided by its destination annotations. */
public enum MessagingSystem {
    /** {@code @Topic} methods. */
    KAFKA,
    /** {@code @Subject} methods. */
    NATS
}
