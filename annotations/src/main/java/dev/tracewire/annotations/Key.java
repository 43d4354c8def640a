package dev.tracewire.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter that is the Kafka record key.
 *
 * <p>On a publisher, the generated method sends the argument as the record key (serialized by the
 * producer's key serializer) and, unless key capture is turned off in the options, records its
 * string form as {@code messaging.kafka.message.key} on the span. On a consumer, the generated
 * dispatcher passes the record's deserialized key. At most one parameter per method.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface Key {
}
