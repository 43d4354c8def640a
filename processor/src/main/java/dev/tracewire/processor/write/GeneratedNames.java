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

    /**
     * The name suggested for the {@code AttributeKey} constant of span attribute
     * {@code attributeName}: its words in upper case joined with {@code _}, a word ending at
     * anything but a letter or digit and before an upper-case letter that follows a lower-case one
     * ({@code order.tenantId} gives {@code ORDER_TENANT_ID}); prefixed with {@code ATTRIBUTE_}
     * when it would not start with a letter ({@code ATTRIBUTE} when nothing is left).
     */
    public static String attributeKeyConstant(String attributeName) {
        StringBuilder name = new StringBuilder();
        char previous = ' ';
        for (char c : attributeName.toCharArray()) {
            boolean letterOrDigit = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
            boolean wordStarts = !letterOrDigit
                    || (Character.isUpperCase(c) && previous >= 'a' && previous <= 'z');
            if (wordStarts && name.length() > 0 && name.charAt(name.length() - 1) != '_') {
                name.append('_');
            }
            if (letterOrDigit) {
                name.append(Character.toUpperCase(c));
            }
            previous = c;
        }
        if (name.length() > 0 && name.charAt(name.length() - 1) == '_') {
            name.setLength(name.length() - 1);
        }
        if (name.length() == 0) {
            return "ATTRIBUTE";
        }
        return Character.isLetter(name.charAt(0)) ? name.toString() : "ATTRIBUTE_" + name;
    }
}
