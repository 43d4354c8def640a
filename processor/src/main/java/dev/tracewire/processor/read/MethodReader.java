package dev.tracewire.processor.read;

import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.system.MessagingSystem;
import dev.tracewire.processor.system.MethodSite;
import dev.tracewire.processor.system.ShapeReader;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * Reads one method of an interface of a given role that talks to a given system: its destination,
 * that it is neither generic nor variadic, its parameters, what its system makes of its return
 * type, and its propagation policy.
 * Every part is read even when an earlier one was wrong, so the user sees every error at once.
 */
final class MethodReader {

    private final Reporter reporter;
    private final DestinationReader destinations;
    private final ParameterReader parameters;
    private final PropagationReader propagations;

    MethodReader(Reporter reporter, DestinationReader destinations, ParameterReader parameters,
            PropagationReader propagations) {
        this.reporter = reporter;
        this.destinations = destinations;
        this.parameters = parameters;
        this.propagations = propagations;
    }

    /**
     * {@code method}, read; empty when a diagnostic was reported. Its propagation policy is the one its
     * destination annotation names, else {@code ofInterface}.
     */
    <S> Optional<ReadMethod<S>> read(ResolvedMethod method, MessagingSystem system, Role role,
            ShapeReader<S> shapes, PropagationReader.Policy ofInterface) {
        ExecutableElement element = method.element();
        Optional<String> destination = destinations.read(method, system);
        boolean bindable = true;
        if (!element.getTypeParameters().isEmpty()) {
            reporter.error(Message.GENERIC_METHOD, element, method.displayName());
            bindable = false;
        }
        if (element.isVarArgs()) {
            reporter.error(Message.VARARGS, element, method.displayName());
            bindable = false;
        }
        Optional<List<ClassifiedParameter>> classified = parameters.read(method, system, role);
        boolean batch = classified.stream().flatMap(List::stream)
                .anyMatch(parameter -> parameter.kind() == ParameterKind.BATCH_PAYLOAD);
        Optional<AnnotationMirror> destinationAnnotation = Annotations.find(element, system.destinationAnnotation());
        Optional<S> shape = shapes.read(new MethodSite(element, method.type().getReturnType(), destinationAnnotation,
                method.displayName(), batch));
        if (destination.isEmpty() || !bindable || classified.isEmpty() || shape.isEmpty()) {
            return Optional.empty();
        }
        return propagations.ofMethod(method, destinationAnnotation, ofInterface, batch).map(propagation ->
                new ReadMethod<>(method, destination.get(), shape.get(), classified.get(), propagation));
    }
}
