package dev.tracewire.processor.kafka;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.WildcardTypeName;
import dev.tracewire.processor.model.InterfaceModel;

/**
 * The key and value types of the Kafka client an interface needs: as the user's client declares
 * them ({@code ?} for a part no method uses) and as the runtime carries them ({@code Object} for
 * such a part).
 */
record KafkaTypes(TypeName clientKey, TypeName clientValue, TypeName key, TypeName value) {

    static KafkaTypes of(InterfaceModel<?> model) {
        TypeName anything = WildcardTypeName.subtypeOf(Object.class);
        return new KafkaTypes(
                model.keyType().orElse(anything),
                model.valueType().orElse(anything),
                model.keyType().orElse(TypeName.OBJECT),
                model.valueType().orElse(TypeName.OBJECT));
    }

    /** Whether a part is absent, so the client's type for it is a wildcard. */
    boolean widened() {
        return !clientKey.equals(key) || !clientValue.equals(value);
    }

    /** {@code raw<clientKey, clientValue>}, for the user's client. */
    TypeName client(ClassName raw) {
        return ParameterizedTypeName.get(raw, clientKey, clientValue);
    }

    /** {@code raw<key, value>}, for runtime types. */
    TypeName runtime(ClassName raw) {
        return ParameterizedTypeName.get(raw, key, value);
    }

    /** A description of the client's types for Javadoc, such as {@code Producer<String, Order>}. */
    String describe(String clientSimpleName) {
        return clientSimpleName + "<" + simple(clientKey) + ", " + simple(clientValue) + ">";
    }

    private static String simple(TypeName type) {
        return type.toString().replaceAll("[\\w.]*\\.(\\w+)", "$1");
    }
}
