package dev.tracewire.processor.model;

import com.squareup.javapoet.TypeName;
import dev.tracewire.annotations.Propagation;
import java.util.List;
import java.util.Optional;

/**
 * One abstract method of the interface, declared there or inherited.
 *
 * @param <S> the shape of the method, which its messaging system and the role decide
 * @param name the method's name
 * @param destination the topic, subject or other destination it sends to or handles
 * @param returnType its return type, resolved against the annotated interface
 * @param shape what its system makes of it: how a send's outcome is returned, whether it replies
 * @param parameters its parameters in order
 * @param propagation what it does with the trace context: its destination annotation's
 *     {@code propagation}, else the interface's
 */
public record MethodModel<S>(
        String name,
        String destination,
        TypeName returnType,
        S shape,
        List<ParameterModel> parameters,
        Propagation propagation) {

    public MethodModel {
        parameters = List.copyOf(parameters);
    }

    public Optional<ParameterModel> parameter(ParameterKind kind) {
        return parameters.stream().filter(p -> p.kind() == kind).findFirst();
    }

    public boolean hasHeaders() {
        return parameters.stream().anyMatch(p -> p.headerName().isPresent());
    }

    /** The parameters recorded as span attributes, in order. */
    public List<ParameterModel> spanAttributes() {
        return parameters.stream().filter(p -> p.spanAttribute().isPresent()).toList();
    }
}
