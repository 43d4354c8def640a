package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The Kafka topic a method sends to (on a {@link TracedPublisher}) or handles (on a
 * {@link TracedConsumer}); it makes the interface a Kafka one.
 *
 * <p>In the generated class the topic is the destination of every record the method sends, and
 * it names the method's spans ({@code send <topic>}, {@code process <topic>}) and their
 * {@code messaging.destination.name} attribute. A consumer subscribes to the topics of all its
 * methods and routes each record to the method of its topic.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Topic {

    /** The topic name, for example {@code "orders"}. Must not be blank. */
    String value();

    /**
     * What this method does with the trace context (see {@link Propagation}). Written here, it wins
     * over the {@code propagation} of the interface's {@link TracedPublisher} or
     * {@link TracedConsumer}; not written, the interface's applies.
     */
    Propagation propagation() default Propagation.PROPAGATE;
}
