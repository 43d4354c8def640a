package dev.tracewire.processor;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options the processor accepts, all named {@code tracewire.*} and given to javac as
 * {@code -Atracewire.name=value}. Both are booleans.
 */
enum ProcessorOption {

    /**
     * {@code -Atracewire.generatedAnnotation=false} leaves {@code @Generated} off the generated
     * classes (default {@code true}), for builds that treat it specially.
     */
    GENERATED_ANNOTATION("tracewire.generatedAnnotation", true),

    /** {@code -Atracewire.verbose=true} prints a note for every class generated (default {@code false}). */
    VERBOSE("tracewire.verbose", false);

    static final String PREFIX = "tracewire.";

    private final String key;
    private final boolean defaultValue;

    ProcessorOption(String key, boolean defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    String key() {
        return key;
    }

    boolean defaultValue() {
        return defaultValue;
    }

    static Set<String> keys() {
        return Arrays.stream(values()).map(ProcessorOption::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The option's value, or {@code null} when {@code value} is not a boolean. */
    static Boolean parse(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}
