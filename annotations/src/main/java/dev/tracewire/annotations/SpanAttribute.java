package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Records a parameter's value on the message's span as the attribute named {@link #value()}, set
 * when the span starts, so samplers see it. The parameter is a {@code String}, a {@code boolean},
 * an integral type ({@code byte}, {@code short}, {@code int}, {@code long}: a long attribute) or a
 * floating type ({@code float}, {@code double}: a double attribute), or one of their boxes; a
 * {@code null} argument records nothing.
 *
 * <p>On a publisher it may be on the {@link Key @Key}, on a {@link Header @Header} or alone: a
 * parameter with only {@code @SpanAttribute} is not part of the message, just an attribute of its
 * send span. On a consumer it may be on the key or a header, whose values come from the message,
 * and they go on its process span. Each name once per method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface SpanAttribute {

    /** The attribute name, for example {@code "order.tenant"}. Must not be blank. */
    String value();
}
