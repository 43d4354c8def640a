package dev.tracewire.runtime;

/**
 * A message whose payload its codec could not decode; the codec's own exception is the cause. Like
 * Kafka's {@code RecordDeserializationException}, it fails the same way every time, so error
 * policies never retry it: it is dead-lettered, skipped or stopped on, as the policy's last step
 * says.
 */
public final class UndecodablePayloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String destination;

    public UndecodablePayloadException(String destination, Throwable cause) {
        super("could not decode the payload of a message on " + destination + ": " + cause.getMessage(), cause);
        this.destination = destination;
    }

    /** The subject (or topic) the message came on. */
    public String destination() {
        return destination;
    }
}
