package dev.tracewire.processor.model;

import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;

/**
 * One method parameter.
 *
 * @param name the parameter's name in the interface
 * @param type its type, as the method declares it (type variables of super-interfaces resolved)
 * @param kind what part of the message it is
 * @param headerName the header name for header parameters, else {@code null}
 * @param castType for a consumer, the type to cast the record's key or value to when the client's
 *     type is wider than this parameter's; {@code null} when no cast is needed
 */
public record ParameterModel(String name, TypeName type, ParameterKind kind, String headerName, TypeName castType) {

    /** Whether the cast to {@link #castType()} is unchecked (a parameterized type). */
    public boolean uncheckedCast() {
        return castType instanceof ParameterizedTypeName;
    }
}
