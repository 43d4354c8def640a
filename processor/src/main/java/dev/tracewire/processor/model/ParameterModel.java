package dev.tracewire.processor.model;

import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import java.util.Optional;

/**
 * One method parameter.
 *
 * @param name the parameter's name in the interface
 * @param type its type, as the method declares it (type variables of super-interfaces resolved)
 * @param kind what part of the message it is
 * @param headerName the header name of a header parameter; empty for the others
 * @param castType for a consumer, the type to cast the client's key or value to when the client's
 *     type is wider than this parameter's; empty when no cast is needed
 * @param spanAttribute the span attribute its value is recorded as ({@code @SpanAttribute}); empty
 *     for the others
 */
public record ParameterModel(
        String name,
        TypeName type,
        ParameterKind kind,
        Optional<String> headerName,
        Optional<TypeName> castType,
        Optional<SpanAttributeModel> spanAttribute) {

    public ParameterModel {
        if (headerName.isPresent() != kind.isHeader()) {
            throw new IllegalArgumentException("a " + kind + " parameter with header name " + headerName);
        }
        if (kind == ParameterKind.EXTRA && spanAttribute.isEmpty()) {
            throw new IllegalArgumentException("an extra parameter without a span attribute: " + name);
        }
    }

    /** Whether the cast to {@link #castType()} is unchecked (a parameterized type). */
    public boolean uncheckedCast() {
        return castType.filter(ParameterizedTypeName.class::isInstance).isPresent();
    }
}
