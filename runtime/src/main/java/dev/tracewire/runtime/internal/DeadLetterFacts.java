package dev.tracewire.runtime.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * What a dead letter says about why it is one, whatever the system: the failure, how many times
 * the message was tried and by which consumer group. Texts are bounded so that a dead letter
 * stays a small message: the exception message to {@value #MAX_MESSAGE} characters, the stack
 * trace to {@value #MAX_STACK_TRACE}. Each system writes these facts under its own header names.
 *
 * @param exceptionClass the failure's class name
 * @param exceptionMessage its message, possibly truncated; empty when it had none
 * @param causeClass the class name of its cause, or {@code null}
 * @param stackTrace its stack trace, possibly truncated
 * @param attempts how many times the message was tried
 * @param consumerGroup the consumer group (Kafka group, NATS queue group or durable), or empty
 */
public record DeadLetterFacts(String exceptionClass, String exceptionMessage, String causeClass, String stackTrace,
        int attempts, String consumerGroup) {

    /** The longest exception message a dead letter carries, in characters. */
    public static final int MAX_MESSAGE = 1_024;
    /** The longest stack trace a dead letter carries, in characters. */
    public static final int MAX_STACK_TRACE = 4_096;

    public static DeadLetterFacts of(Throwable failure, int attempts, String consumerGroup) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        Throwable cause = failure.getCause();
        return new DeadLetterFacts(failure.getClass().getName(),
                truncate(failure.getMessage() == null ? "" : failure.getMessage(), MAX_MESSAGE),
                cause == null ? null : cause.getClass().getName(), truncate(trace.toString(), MAX_STACK_TRACE),
                attempts, consumerGroup);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
