package dev.tracewire.processor.read;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Finds the types an interface's methods refer to that do not exist yet: types another processor
 * may still generate in a later round, for the interface to wait for.
 */
public final class UnresolvedTypes {

    private final Types types;
    private final AbstractMethods abstractMethods;

    public UnresolvedTypes(Elements elements, Types types) {
        this.types = types;
        this.abstractMethods = new AbstractMethods(elements, types);
    }

    /** The first type the methods of {@code type} mention that does not exist (yet). */
    public Optional<String> firstIn(TypeElement type) {
        if (type.getKind() != ElementKind.INTERFACE) {
            return Optional.empty();
        }
        DeclaredType declared = (DeclaredType) type.asType();
        for (ExecutableElement method : abstractMethods.of(type)) {
            ExecutableType resolved = (ExecutableType) types.asMemberOf(declared, method);
            List<TypeMirror> mentioned = new ArrayList<>(resolved.getParameterTypes());
            mentioned.add(resolved.getReturnType());
            mentioned.addAll(resolved.getThrownTypes());
            for (TypeMirror typeMirror : mentioned) {
                if (containsError(typeMirror)) {
                    return Optional.of(typeMirror.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean containsError(TypeMirror type) {
        if (type.getKind() == TypeKind.ERROR) {
            return true;
        }
        if (type instanceof DeclaredType declared) {
            return declared.getTypeArguments().stream().anyMatch(UnresolvedTypes::containsError);
        }
        if (type instanceof ArrayType array) {
            return containsError(array.getComponentType());
        }
        return false;
    }
}
