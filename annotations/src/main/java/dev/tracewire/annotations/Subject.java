package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The NATS subject a method publishes to (on a {@link TracedPublisher}) or subscribes to (on a
 * {@link TracedConsumer}); it makes the interface a NATS one. One interface talks to one system, so
 * an interface with {@code @Subject} methods has no {@link Topic} methods.
 *
 * <p>On a publisher, the method's return type decides what is sent: {@code void} publishes on core
 * NATS (or, when {@link #stream()} is named, to JetStream, waiting for the acknowledgement);
 * {@code PublishAck} or {@code CompletableFuture<PublishAck>} publish to JetStream; any other type
 * {@code R}, or {@code CompletableFuture<R>}, sends a request and decodes the reply as {@code R}.
 * Spans are named {@code publish <subject>} (or {@code request <subject>}).
 *
 * <p>On a consumer, the method handles the subject's messages (wildcards {@code *} and {@code >}
 * allowed; the span is named after the subscribed subject) in the interface's queue group; a
 * method that returns a value is a responder whose value is the reply. With {@link #stream()}
 * named, messages come from a durable JetStream consumer and are acknowledged only after the
 * method returned.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Subject {

    /** The subject, for example {@code "orders.placed"} or, on a consumer, {@code "sensors.*.temp"}. */
    String value();

    /** The JetStream stream the subject belongs to; empty for core NATS. */
    String stream() default "";

    /**
     * What this method does with the trace context (see {@link Propagation}). Written here, it wins
     * over the {@code propagation} of the interface's {@link TracedPublisher} or
     * {@link TracedConsumer}; not written, the interface's applies.
     */
    Propagation propagation() default Propagation.PROPAGATE;
}
