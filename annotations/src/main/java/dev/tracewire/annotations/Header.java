package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a parameter to a message header. The parameter is a {@code String} (UTF-8 encoded) or a
 * {@code byte[]} (sent as it is).
 *
 * <p>On a publisher, the generated method sets the header to the argument, replacing any header of
 * that name, and sends no header when the argument is {@code null}. On a consumer, the generated
 * dispatcher passes the value of the last header of that name, or {@code null} when the message has
 * none.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Header {

    /** The header name, for example {@code "tenant"}. Must not be blank. */
    String value();
}
