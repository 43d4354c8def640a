package dev.tracewire.processor.read;

import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/** Questions about a type that the readers of every system ask. */
public final class Mirrors {

    private Mirrors() {
    }

    /** Whether {@code type} is the class or interface {@code qualifiedName}, with any type arguments. */
    public static boolean isNamed(TypeMirror type, String qualifiedName) {
        return type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(qualifiedName);
    }

    public static boolean isByteArray(TypeMirror type) {
        return type instanceof ArrayType array && array.getComponentType().getKind() == TypeKind.BYTE;
    }
}
