package dev.tracewire.processor.read;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.model.MethodModel;
import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.ParameterModel;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.system.MessagingSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Builds the model of an interface whose declaration and methods were all read without a
 * diagnostic, deciding what depends on several methods at once: the key and value types of a
 * typed client, the casts a consumer needs from them, and the exception a consumer rethrows.
 * Reports nothing.
 */
final class ModelBuilder {

    private final Types types;
    private final CommonType commonType;
    private final TypeMirror runtimeException;
    private final TypeMirror error;

    ModelBuilder(Elements elements, Types types, CommonType commonType) {
        this.types = types;
        this.commonType = commonType;
        this.runtimeException = elements.getTypeElement(RuntimeException.class.getCanonicalName()).asType();
        this.error = elements.getTypeElement(Error.class.getCanonicalName()).asType();
    }

    <S> InterfaceModel<S> build(Declaration declaration, MessagingSystem system, List<ReadMethod<S>> methods) {
        Optional<TypeMirror> keyType = clientType(system, methods, ParameterKind.KEY);
        Optional<TypeMirror> valueType = clientType(system, methods, ParameterKind.PAYLOAD, ParameterKind.BATCH_PAYLOAD);
        boolean consumer = declaration.role() == Role.CONSUMER;
        List<MethodModel<S>> models = new ArrayList<>();
        for (ReadMethod<S> method : methods) {
            List<ParameterModel> parameters = new ArrayList<>();
            for (ClassifiedParameter parameter : method.parameters()) {
                Optional<TypeMirror> clientPart = switch (parameter.kind()) {
                    case KEY -> keyType;
                    case PAYLOAD -> valueType;
                    case BATCH_PAYLOAD -> Optional.empty();
                    case STRING_HEADER, BYTES_HEADER, EXTRA -> Optional.empty();
                };
                parameters.add(new ParameterModel(parameter.name(), TypeName.get(parameter.type()), parameter.kind(),
                        parameter.headerName(), consumer ? cast(parameter.type(), clientPart) : Optional.empty(),
                        parameter.spanAttribute()));
            }
            models.add(new MethodModel<>(method.method().element().getSimpleName().toString(),
                    method.destination(), TypeName.get(method.returnType()), method.shape(), parameters,
                    method.propagation()));
        }
        TypeElement type = declaration.type();
        return new InterfaceModel<>(ClassName.get(type), declaration.role(), declaration.componentModel(),
                type.getModifiers().contains(Modifier.PUBLIC), declaration.group(), keyType.map(TypeName::get), valueType.map(TypeName::get),
                consumer ? declaredException(methods) : Optional.empty(), models);
    }

    /**
     * For a typed client, the common type of the parameters of {@code kind} (boxed), and of the
     * elements of those of {@code listKinds} (a batch's payloads).
     */
    private Optional<TypeMirror> clientType(MessagingSystem system, List<? extends ReadMethod<?>> methods,
            ParameterKind kind, ParameterKind... listKinds) {
        if (!system.typedClient()) {
            return Optional.empty();
        }
        List<TypeMirror> candidates = new ArrayList<>();
        for (ReadMethod<?> method : methods) {
            method.typeOf(kind).map(commonType::boxed).ifPresent(candidates::add);
            for (ParameterKind list : listKinds) {
                method.typeOf(list).flatMap(Mirrors::listElement).ifPresent(candidates::add);
            }
        }
        return commonType.of(candidates);
    }

    /** The type to cast the client's part to, when the client's type is wider than the parameter's. */
    private Optional<TypeName> cast(TypeMirror parameterType, Optional<TypeMirror> clientPart) {
        TypeMirror boxed = commonType.boxed(parameterType);
        return clientPart.filter(client -> !commonType.same(boxed, client)).map(client -> TypeName.get(boxed));
    }

    /** The closest common superclass of the checked exceptions the methods declare. */
    private Optional<ClassName> declaredException(List<? extends ReadMethod<?>> methods) {
        List<TypeMirror> checked = methods.stream()
                .flatMap(method -> method.thrownTypes().stream())
                .filter(type -> !types.isSubtype(type, runtimeException) && !types.isSubtype(type, error))
                .map(TypeMirror.class::cast)
                .toList();
        return commonType.closestSuperclass(checked).map(type -> ClassName.get((TypeElement) types.asElement(type)));
    }
}
