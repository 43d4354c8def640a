package dev.tracewire.processor.model;

/**
 * A parameter recorded on the span as a start attribute ({@code @SpanAttribute}).
 *
 * @param name the attribute name, as written
 * @param type the attribute's value type, which the parameter's type decides
 */
public record SpanAttributeModel(String name, Type type) {

    /** The OpenTelemetry attribute types a parameter can be recorded as. */
    public enum Type {
        /** {@code String}. */
        STRING,
        /** {@code boolean} and {@code Boolean}. */
        BOOLEAN,
        /** {@code byte}, {@code short}, {@code int}, {@code long} and their boxes. */
        LONG,
        /** {@code float}, {@code double} and their boxes. */
        DOUBLE
    }
}
