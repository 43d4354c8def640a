package dev.tracewire.processor.model;

/** What part of a message a method parameter is. */
public enum ParameterKind {
    /** The un-annotated parameter: the message body. */
    PAYLOAD,
    /** {@code @Key}: the Kafka record key. */
    KEY,
    /** {@code @Header("name")} of type String. */
    STRING_HEADER,
    /** {@code @Header("name")} of type byte[]. */
    BYTES_HEADER
}
