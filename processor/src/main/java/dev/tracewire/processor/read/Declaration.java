package dev.tracewire.processor.read;

import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.Role;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * An annotated interface whose declaration is valid, with the methods to implement.
 *
 * @param type the interface
 * @param role the role its annotation gives it
 * @param group the consumer group declared on a consumer, possibly empty; empty for a publisher
 * @param componentModel the component model written on the annotation, else the processor's default
 * @param propagation the propagation policy the annotation gives every method
 * @param methods its abstract methods, the interface's own first, in declaration order
 */
record Declaration(TypeElement type, Role role, String group, ComponentModel componentModel,
        PropagationReader.Policy propagation, List<ResolvedMethod> methods) {

    Declaration {
        methods = List.copyOf(methods);
    }

    List<ExecutableElement> methodElements() {
        return methods.stream().map(ResolvedMethod::element).toList();
    }
}
