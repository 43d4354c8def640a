package dev.tracewire.processor.read;

import dev.tracewire.annotations.Propagation;
import dev.tracewire.processor.model.ParameterKind;
import java.util.List;
import java.util.Optional;
import javax.lang.model.type.TypeMirror;

/**
 * A method that was read without a diagnostic, ready to go into the model.
 *
 * @param <S> the shape of the method, which its system and the role decide
 * @param method the method with its resolved types
 * @param destination where it sends to or reads from
 * @param shape what its system makes of it
 * @param parameters its parameters, classified, in order
 * @param propagation its propagation policy
 */
record ReadMethod<S>(ResolvedMethod method, String destination, S shape, List<ClassifiedParameter> parameters,
        Propagation propagation) {

    ReadMethod {
        parameters = List.copyOf(parameters);
    }

    TypeMirror returnType() {
        return method.type().getReturnType();
    }

    List<? extends TypeMirror> thrownTypes() {
        return method.type().getThrownTypes();
    }

    /** The type of the parameter of {@code kind}, if the method has one. */
    Optional<TypeMirror> typeOf(ParameterKind kind) {
        return parameters.stream().filter(p -> p.kind() == kind).map(ClassifiedParameter::type).findFirst();
    }
}
