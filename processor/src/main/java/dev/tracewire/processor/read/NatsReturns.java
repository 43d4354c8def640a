package dev.tracewire.processor.read;

import com.squareup.javapoet.TypeName;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.ReturnKind;
import dev.tracewire.processor.model.Role;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * What a NATS method's return type means: core publish, JetStream publish (with or without waiting
 * for the acknowledgement), a request and its reply type, or a responder; and whether a payload or
 * reply type is one a codec can be chosen for by class.
 */
final class NatsReturns {

    private final Reporter reporter;
    private final CommonType commonType;

    NatsReturns(Reporter reporter, CommonType commonType) {
        this.reporter = reporter;
        this.commonType = commonType;
    }

    NatsReturn read(Role role, Element method, TypeMirror returnType, String displayName, String stream) {
        boolean isVoid = returnType.getKind() == TypeKind.VOID;
        if (role == Role.CONSUMER) {
            if (isVoid) {
                return new NatsReturn(ReturnKind.VOID, null);
            }
            if (!stream.isEmpty()) {
                reporter.error(Message.CONSUMER_RETURN_TYPE, method, displayName, returnType);
                return new NatsReturn(ReturnKind.VOID, null);
            }
            checkClass(method, returnType, "the reply", displayName);
            return new NatsReturn(ReturnKind.RESPONDER, boxedName(returnType));
        }
        if (isVoid) {
            return new NatsReturn(stream.isEmpty() ? ReturnKind.VOID : ReturnKind.STREAM_VOID, null);
        }
        if (isNamed(returnType, AnnotationNames.PUBLISH_ACK)) {
            return new NatsReturn(ReturnKind.STREAM_ACK, null);
        }
        if (isNamed(returnType, AnnotationNames.COMPLETABLE_FUTURE)) {
            TypeMirror argument = ((DeclaredType) returnType).getTypeArguments().get(0);
            if (isNamed(argument, AnnotationNames.PUBLISH_ACK)) {
                return new NatsReturn(ReturnKind.STREAM_ACK_FUTURE, null);
            }
            checkClass(method, argument, "the reply", displayName);
            return new NatsReturn(ReturnKind.REQUEST_FUTURE, boxedName(argument));
        }
        checkClass(method, returnType, "the reply", displayName);
        return new NatsReturn(ReturnKind.REQUEST, boxedName(returnType));
    }

    /** Reports a payload or reply type that is not a plain class (a codec is chosen by class). */
    void checkClass(Element element, TypeMirror type, String what, String displayName) {
        boolean plainClass = type.getKind().isPrimitive()
                || (type instanceof DeclaredType declared && declared.getTypeArguments().isEmpty())
                || (type instanceof ArrayType array && array.getComponentType().getKind() == TypeKind.BYTE);
        if (!plainClass) {
            reporter.error(Message.NATS_PAYLOAD_TYPE, element, what, displayName, type);
        }
    }

    private TypeName boxedName(TypeMirror type) {
        return TypeName.get(commonType.boxed(type));
    }

    private static boolean isNamed(TypeMirror type, String qualifiedName) {
        return type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(qualifiedName);
    }
}
