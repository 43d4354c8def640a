package dev.tracewire.processor.read;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The one type that several methods' types have in common: the type a typed client must have when
 * each method sends or receives its own key or payload type, and the exception a dispatcher
 * rethrows when each method declares its own.
 */
public final class CommonType {

    private final Elements elements;
    private final Types types;

    public CommonType(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    /**
     * The type a client of {@code candidates} (already boxed) must have: the one type when they
     * agree, the widest one when all the others are assignable to it, and {@code Object} otherwise
     * (a serializer that handles several types, such as a JSON one, serves then); empty when there
     * are no candidates.
     */
    public Optional<TypeMirror> of(List<TypeMirror> candidates) {
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        for (TypeMirror widest : candidates) {
            if (candidates.stream().allMatch(other -> types.isAssignable(other, widest))) {
                return Optional.of(widest);
            }
        }
        return Optional.of(elements.getTypeElement(Object.class.getCanonicalName()).asType());
    }

    /**
     * The closest class that every one of {@code classes} extends or is, such as
     * {@code IOException} for {@code FileNotFoundException} and {@code EOFException}; empty when
     * there are no classes.
     */
    public Optional<TypeMirror> closestSuperclass(List<? extends TypeMirror> classes) {
        if (classes.isEmpty()) {
            return Optional.empty();
        }
        TypeMirror candidate = types.erasure(classes.get(0));
        while (!isSuperclassOfAll(candidate, classes)) {
            candidate = types.erasure(((TypeElement) types.asElement(candidate)).getSuperclass());
        }
        return Optional.of(candidate);
    }

    private boolean isSuperclassOfAll(TypeMirror candidate, List<? extends TypeMirror> classes) {
        return classes.stream().allMatch(type -> types.isSubtype(types.erasure(type), candidate));
    }

    /** {@code type} boxed when it is a primitive. */
    public TypeMirror boxed(TypeMirror type) {
        return type.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) type).asType() : type;
    }

    public boolean same(TypeMirror a, TypeMirror b) {
        return types.isSameType(a, b);
    }
}
