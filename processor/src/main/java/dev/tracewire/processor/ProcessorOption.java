package dev.tracewire.processor;

import dev.tracewire.processor.model.ComponentModel;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The options the processor accepts, all named {@code tracewire.*} and given to javac as
 * {@code -Atracewire.name=value}: two booleans and the default component model.
 */
enum ProcessorOption {

    /**
     * {@code -Atracewire.generatedAnnotation=false} leaves {@code @Generated} off the generated
     * classes (default {@code true}), for builds that treat it specially.
     */
    GENERATED_ANNOTATION("tracewire.generatedAnnotation", "true"),

    /** {@code -Atracewire.verbose=true} prints a note for every class generated (default {@code false}). */
    VERBOSE("tracewire.verbose", "false"),

    /**
     * {@code -Atracewire.defaultComponentModel=spring} (or {@code jakarta}) makes every generated
     * class whose annotation names no component model a component of that container (default
     * {@code default}: plain classes).
     */
    DEFAULT_COMPONENT_MODEL("tracewire.defaultComponentModel", ComponentModel.DEFAULT.value());

    static final String PREFIX = "tracewire.";

    private final String key;
    private final String defaultValue;

    ProcessorOption(String key, String defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    String key() {
        return key;
    }

    String defaultValue() {
        return defaultValue;
    }

    /** Whether the option takes {@code true} or {@code false}. */
    boolean isBoolean() {
        return this != DEFAULT_COMPONENT_MODEL;
    }

    static Set<String> keys() {
        return Arrays.stream(values()).map(ProcessorOption::key)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The option's value, or {@code null} when {@code value} is not a boolean. */
    static Boolean parseBoolean(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        };
    }
}
