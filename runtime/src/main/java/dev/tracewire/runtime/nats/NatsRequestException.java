package dev.tracewire.runtime.nats;

/** A NATS request that got no reply: nobody listens on the subject, or the reply took too long. */
public final class NatsRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why no reply came. */
    public enum Reason {
        /** The server knows no subscriber of the subject. */
        NO_RESPONDERS,
        /** No reply within the request timeout. */
        TIMEOUT
    }

    private final Reason reason;
    private final String subject;

    public NatsRequestException(Reason reason, String subject, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.subject = subject;
    }

    public Reason reason() {
        return reason;
    }

    public String subject() {
        return subject;
    }
}
