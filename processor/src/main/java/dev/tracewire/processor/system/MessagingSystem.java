package dev.tracewire.processor.system;

import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.Role;
import java.util.Set;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * One messaging system as the processor sees it. The reader asks it instead of branching on which
 * system an interface talks to: the annotation that sends a method to it, what its diagnostics
 * call a destination, which parts of a message a parameter may bind, what it requires of a
 * payload, and, for each role, how its methods are shaped and what is generated from them.
 */
public interface MessagingSystem {

    /** The system's name in diagnostics, such as {@code Kafka}. */
    String name();

    /** The qualified name of the annotation that makes a method talk to this system. */
    String destinationAnnotation();

    /** What the diagnostics call a destination of this system, such as {@code topic}. */
    String destinationNoun();

    /** A destination to show in a suggested fix, such as {@code orders}. */
    String exampleDestination();

    /** The parts of a message a parameter may bind. */
    Set<ParameterKind> parameterKinds();

    /**
     * Whether the user's client is typed by the key and value types of the messages, which the
     * reader then infers from the parameters (and casts to where a parameter is narrower).
     */
    boolean typedClient();

    /** Reports {@code type} when a payload of this system cannot have it, pinned to {@code parameter}. */
    void checkPayload(VariableElement parameter, TypeMirror type, String displayName);

    /** What this system does for interfaces of {@code role}. */
    RoleSupport<?> support(Role role);

    /** The destination annotation's simple name, such as {@code Topic}. */
    default String annotationSimpleName() {
        String annotation = destinationAnnotation();
        return annotation.substring(annotation.lastIndexOf('.') + 1);
    }

    /** The system with its annotation, as in {@code Kafka (@Topic)}. */
    default String describe() {
        return name() + " (@" + annotationSimpleName() + ")";
    }

    /** The annotation as a fix for a method without destination, as in {@code @Topic("...") for a Kafka topic}. */
    default String destinationFix() {
        return "@" + annotationSimpleName() + "(\"...\") for a " + name() + " " + destinationNoun();
    }

    /** The annotation with an example destination, as in {@code @Topic("orders")}. */
    default String example() {
        return "@" + annotationSimpleName() + "(\"" + exampleDestination() + "\")";
    }
}
