package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose methods each handle the messages of one destination; you implement the
 * interface, tracewire runs your implementation.
 *
 * <p>The tracewire processor generates, in the same package, a {@code final} dispatcher class
 * named {@code Traced} + the interface's simple name. It takes your implementation and either runs
 * its own subscription (for Kafka, a poll loop on its own thread; for NATS, subscriptions on your
 * connection; started with {@code start} and stopped by closing the returned handle) or handles one
 * record or message your own loop passes to {@code handle}. Every message is handled inside its own
 * CONSUMER span named {@code process <topic or subject>}, whose parent is the context extracted from
 * the message headers, so the
 * trace of the sender continues into your method and into whatever it publishes.
 *
 * <p>An exception your method throws, checked or not, is recorded on that span with status ERROR;
 * then the consumer's error policy decides what happens to the message. Kafka offsets are
 * committed only after your method returned.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TracedConsumer {

    /**
     * The consumer group: the Kafka {@code group.id}, or the NATS queue group.
     *
     * <p>It becomes the {@code messaging.consumer.group.name} attribute of every process span. For
     * Kafka, when it is not empty, the generated {@code start} method checks that the consumer it is
     * given was configured with the same {@code group.id} and refuses one that was not; when it is
     * empty, the consumer's own {@code group.id} is used. For NATS, subscriptions join this queue
     * group (each message goes to one member), and JetStream consumers are durable under its name;
     * empty means every subscriber gets every message.
     */
    String group() default "";

    /**
     * How the generated dispatcher is made and run: {@link ComponentModel#DEFAULT} (a plain class
     * you construct and {@code start}), {@link ComponentModel#JAKARTA} (a JSR-330 singleton with
     * an {@code @Inject} constructor and {@code start()}/{@code close()} hooks) or
     * {@link ComponentModel#SPRING} (a Spring component that starts and stops with the context).
     * Empty, the default, takes the processor option {@code -Atracewire.defaultComponentModel},
     * itself {@code default} unless given. Another value, or a container whose annotations are not on
     * the compile class path, is a compile error.
     */
    String componentModel() default "";

    /**
     * What every method does with the trace context, unless its {@link Topic#propagation()} or
     * {@link Subject#propagation()} says otherwise: {@link Propagation#PROPAGATE} (the default)
     * handles each message in a CONSUMER span continuing the context it carries;
     * {@link Propagation#HEADERS_ONLY} makes no span and runs the method in the carried context;
     * {@link Propagation#NONE} does not read the carried context, so each message starts a new
     * trace. The generated dispatcher hands the choice to the runtime when it routes each method.
     */
    Propagation propagation() default Propagation.PROPAGATE;
}
