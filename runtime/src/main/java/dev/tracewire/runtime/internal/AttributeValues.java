package dev.tracewire.runtime.internal;

/**
 * Conversions generated code uses for {@code @SpanAttribute} parameters of a boxed type narrower
 * than the attribute's ({@code Integer} for a long attribute, {@code Float} for a double one): the
 * value widened, {@code null} kept, so that no attribute is recorded for it.
 */
public final class AttributeValues {

    private AttributeValues() {
    }

    public static Long toLong(Number value) {
        return value == null ? null : value.longValue();
    }

    public static Double toDouble(Number value) {
        return value == null ? null : value.doubleValue();
    }
}
