package dev.tracewire.processor.read;

import java.util.List;
import java.util.Optional;
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

    /**
     * The element type of {@code java.util.List<E>}, when {@code type} is one and {@code E} is a
     * class, interface or array type (not a wildcard); empty otherwise.
     */
    public static Optional<TypeMirror> listElement(TypeMirror type) {
        if (!isNamed(type, List.class.getCanonicalName())) {
            return Optional.empty();
        }
        List<? extends TypeMirror> arguments = ((DeclaredType) type).getTypeArguments();
        return arguments.size() == 1
                && (arguments.get(0).getKind() == TypeKind.DECLARED || arguments.get(0).getKind() == TypeKind.ARRAY)
                ? Optional.of(arguments.get(0)) : Optional.empty();
    }

    public static boolean isByteArray(TypeMirror type) {
        return type instanceof ArrayType array && array.getComponentType().getKind() == TypeKind.BYTE;
    }
}
