package dev.tracewire.processor.model;

import com.squareup.javapoet.TypeName;
import java.util.List;
import java.util.Optional;

/**
 * One abstract method of the interface, declared there or inherited.
 *
 * @param name the method's name
 * @param destination the topic (or subject) it sends to or handles
 * @param stream the JetStream stream of a NATS method, or empty
 * @param returnType its return type, resolved against the annotated interface
 * @param returnKind for a publisher, how the send's outcome is returned
 * @param parameters its parameters in order
 * @param thrownTypes the exceptions it declares, resolved
 * @param replyType for NATS requests and responders, the reply's class (boxed), else {@code null}
 */
public record MethodModel(
        String name,
        String destination,
        String stream,
        TypeName returnType,
        ReturnKind returnKind,
        List<ParameterModel> parameters,
        List<TypeName> thrownTypes,
        TypeName replyType) {

    public MethodModel {
        parameters = List.copyOf(parameters);
        thrownTypes = List.copyOf(thrownTypes);
    }

    public Optional<ParameterModel> parameter(ParameterKind kind) {
        return parameters.stream().filter(p -> p.kind() == kind).findFirst();
    }
}
