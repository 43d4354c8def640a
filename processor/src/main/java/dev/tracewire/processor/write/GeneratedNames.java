package dev.tracewire.processor.write;

import com.squareup.javapoet.ClassName;

/** Every name the generated code gives to a type, decided here and nowhere else. */
public final class GeneratedNames {

    private static final String PREFIX = "Traced";

    private GeneratedNames() {
    }

    /**
     * The generated class for an interface: {@code Traced} + its simple name, in its package,
     * nested names joined with {@code _} ({@code Outer.Inner} gives {@code TracedOuter_Inner}).
     */
    public static ClassName generatedClass(ClassName interfaceName) {
        return ClassName.get(interfaceName.packageName(), PREFIX + String.join("_", interfaceName.simpleNames()));
    }
}
