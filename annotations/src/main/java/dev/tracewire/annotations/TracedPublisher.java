package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an interface whose methods each send one message.
 *
 * <p>The tracewire processor generates, in the same package, a {@code final} class named
 * {@code Traced} + the interface's simple name (nested types joined with {@code _}) that
 * implements the interface. Each abstract method of the interface, inherited ones included, must
 * name its destination with {@link Topic} (Kafka) or {@link Subject} (NATS); its parameters become
 * the record key ({@link Key}, Kafka only), headers ({@link Header}) and the payload (the one
 * parameter without an annotation).
 *
 * <p>Every call of a generated method starts a PRODUCER span named {@code send <topic>} (NATS:
 * {@code publish <subject>}), a child
 * of the caller's current context, injects that span's context into the message headers with the
 * propagators of the configured {@code OpenTelemetry}, and ends the span when the broker
 * acknowledges the message or the send fails. Default and static methods are left as they are.
 *
 * <p>The generated class has a constructor that takes the client you already configured (a Kafka
 * {@code Producer<K, V>} with your own serializers, or a NATS {@code Connection}) and one that also
 * takes
 * {@code dev.tracewire.runtime.TracewireOptions}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface TracedPublisher {

    /**
     * How the generated class is made: {@link ComponentModel#DEFAULT} (a plain class with public
     * constructors), {@link ComponentModel#JAKARTA} (a JSR-330 {@code @Singleton} whose one
     * {@code @Inject} constructor takes the client and {@code TracewireOptions}) or
     * {@link ComponentModel#SPRING} (a Spring {@code @Component} with that one constructor), so your
     * container injects it wherever its interface is asked for. Empty, the default, takes the
     * processor option {@code -Atracewire.defaultComponentModel}, itself {@code default} unless
     * given. Another value, or a container whose annotations are not on the compile class path, is a
     * compile error.
     */
    String componentModel() default "";

    /**
     * What every method does with the trace context, unless its {@link Topic#propagation()} or
     * {@link Subject#propagation()} says otherwise: {@link Propagation#PROPAGATE} (the default) sends
     * in a PRODUCER span and carries its context; {@link Propagation#HEADERS_ONLY} makes no span and
     * carries the caller's context; {@link Propagation#NONE} makes the span but carries no context.
     * The generated class hands the choice to the runtime when it builds each method's sender.
     */
    Propagation propagation() default Propagation.PROPAGATE;
}
