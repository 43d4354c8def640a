package dev.tracewire.processor.read;

import java.util.List;
import javax.lang.model.type.PrimitiveType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The type a Kafka client must have for several methods that each send or receive their own
 * key or payload type: the one type when they agree, the widest one when all the others are
 * assignable to it, and {@code Object} otherwise (a serializer that handles several types, such as
 * a JSON one, serves then).
 */
final class CommonType {

    private final Elements elements;
    private final Types types;

    CommonType(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    /** The common type of {@code candidates} (already boxed), or {@code null} when there are none. */
    TypeMirror of(List<TypeMirror> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        for (TypeMirror widest : candidates) {
            if (candidates.stream().allMatch(other -> types.isAssignable(other, widest))) {
                return widest;
            }
        }
        return elements.getTypeElement(Object.class.getCanonicalName()).asType();
    }

    /** {@code type} boxed when it is a primitive. */
    TypeMirror boxed(TypeMirror type) {
        return type.getKind().isPrimitive() ? types.boxedClass((PrimitiveType) type).asType() : type;
    }

    boolean same(TypeMirror a, TypeMirror b) {
        return types.isSameType(a, b);
    }
}
