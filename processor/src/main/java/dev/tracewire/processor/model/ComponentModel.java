package dev.tracewire.processor.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a generated class is made and run: plain, as a JSR-330 component or as a Spring one. The
 * values are those of {@code dev.tracewire.annotations.ComponentModel}.
 */
public enum ComponentModel {
    /** A plain class with public constructors; a consumer is started with {@code start(client)}. */
    DEFAULT,
    /** A {@code jakarta.inject} singleton with one {@code @Inject} constructor; consumers have start/close hooks. */
    JAKARTA,
    /** A Spring {@code @Component} with one constructor; consumers are {@code SmartLifecycle}s. */
    SPRING;

    /** The value users write, as in {@code componentModel = "spring"}. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The model named {@code value} (exactly as users write it); empty for another value. */
    public static Optional<ComponentModel> of(String value) {
        return Arrays.stream(values()).filter(model -> model.value().equals(value)).findFirst();
    }

    /** Every model's value, for diagnostics: {@code default, jakarta or spring}. */
    public static String choices() {
        String all = Arrays.stream(values()).map(ComponentModel::value).collect(Collectors.joining(", "));
        int last = all.lastIndexOf(", ");
        return all.substring(0, last) + " or " + all.substring(last + 2);
    }
}
