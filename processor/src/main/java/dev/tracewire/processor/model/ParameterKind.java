package dev.tracewire.processor.model;

/** What part of a message a method parameter is. */
public enum ParameterKind {
    /** The un-annotated parameter: the message body. */
    PAYLOAD,
    /**
     * The un-annotated {@code List<T>} parameter of a consumer method: the bodies of a batch of
     * messages, in the order they were received.
     */
    BATCH_PAYLOAD,
    /** {@code @Key}: the record key, in a system whose messages have one. */
    KEY,
    /** {@code @Header("name")} of type String. */
    STRING_HEADER,
    /** {@code @Header("name")} of type byte[], in a system whose headers carry bytes. */
    BYTES_HEADER,
    /**
     * Not part of the message: a publisher's parameter with only {@code @SpanAttribute}, recorded
     * on the send span.
     */
    EXTRA;

    public boolean isHeader() {
        return this == STRING_HEADER || this == BYTES_HEADER;
    }
}
