package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.semconv.ErrorAttributes;
import io.opentelemetry.semconv.ServerAttributes;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MessagingOperationTypeIncubatingValues;
import io.opentelemetry.semconv.incubating.MessagingIncubatingAttributes.MessagingSystemIncubatingValues;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our copies of the semantic-convention names against {@code opentelemetry-semconv} (stable) and
 * {@code opentelemetry-semconv-incubating} (messaging is still "development" upstream).
 */
class MessagingAttributesTest {

    /** Each of our keys, by field name, and the upstream key it copies. */
    private static final Map<String, AttributeKey<?>> EXPECTED_KEYS = new LinkedHashMap<>();
    /** Keys the conventions have no name for yet (NATS JetStream), by field name, with their names. */
    private static final Map<String, AttributeKey<?>> EXTENSION_KEYS = new LinkedHashMap<>();
    /** Each of our value constants, by field name, and the upstream value it copies. */
    private static final Map<String, String> EXPECTED_VALUES = new LinkedHashMap<>();

    static {
        EXPECTED_KEYS.put("MESSAGING_SYSTEM", MessagingIncubatingAttributes.MESSAGING_SYSTEM);
        EXPECTED_KEYS.put("MESSAGING_DESTINATION_NAME", MessagingIncubatingAttributes.MESSAGING_DESTINATION_NAME);
        EXPECTED_KEYS.put("MESSAGING_DESTINATION_TEMPLATE",
                MessagingIncubatingAttributes.MESSAGING_DESTINATION_TEMPLATE);
        EXPECTED_KEYS.put("MESSAGING_DESTINATION_PARTITION_ID",
                MessagingIncubatingAttributes.MESSAGING_DESTINATION_PARTITION_ID);
        EXPECTED_KEYS.put("MESSAGING_OPERATION_TYPE", MessagingIncubatingAttributes.MESSAGING_OPERATION_TYPE);
        EXPECTED_KEYS.put("MESSAGING_OPERATION_NAME", MessagingIncubatingAttributes.MESSAGING_OPERATION_NAME);
        EXPECTED_KEYS.put("MESSAGING_CLIENT_ID", MessagingIncubatingAttributes.MESSAGING_CLIENT_ID);
        EXPECTED_KEYS.put("MESSAGING_CONSUMER_GROUP_NAME",
                MessagingIncubatingAttributes.MESSAGING_CONSUMER_GROUP_NAME);
        EXPECTED_KEYS.put("MESSAGING_MESSAGE_BODY_SIZE", MessagingIncubatingAttributes.MESSAGING_MESSAGE_BODY_SIZE);
        EXPECTED_KEYS.put("MESSAGING_BATCH_MESSAGE_COUNT",
                MessagingIncubatingAttributes.MESSAGING_BATCH_MESSAGE_COUNT);
        EXPECTED_KEYS.put("MESSAGING_KAFKA_MESSAGE_KEY", MessagingIncubatingAttributes.MESSAGING_KAFKA_MESSAGE_KEY);
        EXPECTED_KEYS.put("MESSAGING_KAFKA_MESSAGE_TOMBSTONE",
                MessagingIncubatingAttributes.MESSAGING_KAFKA_MESSAGE_TOMBSTONE);
        EXPECTED_KEYS.put("MESSAGING_KAFKA_OFFSET", MessagingIncubatingAttributes.MESSAGING_KAFKA_OFFSET);
        EXPECTED_KEYS.put("SERVER_ADDRESS", ServerAttributes.SERVER_ADDRESS);
        EXPECTED_KEYS.put("SERVER_PORT", ServerAttributes.SERVER_PORT);
        EXPECTED_KEYS.put("ERROR_TYPE", ErrorAttributes.ERROR_TYPE);

        EXTENSION_KEYS.put("MESSAGING_NATS_STREAM", AttributeKey.stringKey("messaging.nats.stream"));
        EXTENSION_KEYS.put("MESSAGING_NATS_SEQUENCE", AttributeKey.longKey("messaging.nats.sequence"));
        EXTENSION_KEYS.put("MESSAGING_NATS_DELIVERY_COUNT",
                AttributeKey.longKey("messaging.nats.message.delivery_count"));

        EXPECTED_VALUES.put("SYSTEM_KAFKA", MessagingSystemIncubatingValues.KAFKA);
        // semconv-incubating 1.43.0-alpha has no messaging.system value for NATS; "nats" is the
        // lower-case system name the conventions use for every other system.
        EXPECTED_VALUES.put("SYSTEM_NATS", "nats");
        EXPECTED_VALUES.put("OPERATION_TYPE_SEND", MessagingOperationTypeIncubatingValues.SEND);
        EXPECTED_VALUES.put("OPERATION_TYPE_PROCESS", MessagingOperationTypeIncubatingValues.PROCESS);
    }

    @Test
    void everyKeyHasTheNameAndTypeOfTheSemanticConventions() throws IllegalAccessException {
        for (Map.Entry<String, AttributeKey<?>> expected : EXPECTED_KEYS.entrySet()) {
            AttributeKey<?> ours = (AttributeKey<?>) field(expected.getKey()).get(null);
            assertThat(ours.getKey()).as(expected.getKey()).isEqualTo(expected.getValue().getKey());
            assertThat(ours.getType()).as(expected.getKey()).isEqualTo(expected.getValue().getType());
            assertThat(ours).as(expected.getKey()).isEqualTo(expected.getValue());
        }
    }

    @Test
    void extensionKeysAreNamedAsDocumentedAndUnknownUpstream() throws IllegalAccessException {
        Set<String> upstream = new TreeSet<>();
        for (Field field : MessagingIncubatingAttributes.class.getFields()) {
            if (AttributeKey.class.isAssignableFrom(field.getType())) {
                upstream.add(((AttributeKey<?>) field.get(null)).getKey());
            }
        }
        for (Map.Entry<String, AttributeKey<?>> expected : EXTENSION_KEYS.entrySet()) {
            assertThat(field(expected.getKey()).get(null)).as(expected.getKey()).isEqualTo(expected.getValue());
            assertThat(upstream).as("upstream now names %s: use its name", expected.getValue().getKey())
                    .doesNotContain(expected.getValue().getKey());
        }
    }

    @Test
    void everyValueIsTheOneOfTheSemanticConventions() throws IllegalAccessException {
        for (Map.Entry<String, String> expected : EXPECTED_VALUES.entrySet()) {
            assertThat(field(expected.getKey()).get(null)).as(expected.getKey()).isEqualTo(expected.getValue());
        }
    }

    @Test
    void everyPublicKeyAndValueIsChecked() {
        TreeSet<String> keys = new TreeSet<>();
        TreeSet<String> values = new TreeSet<>();
        for (Field field : MessagingAttributes.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (!Modifier.isPublic(modifiers) || !Modifier.isStatic(modifiers)) {
                continue;
            }
            assertThat(Modifier.isFinal(modifiers)).as(field.getName() + " is final").isTrue();
            if (AttributeKey.class.isAssignableFrom(field.getType())) {
                keys.add(field.getName());
            } else if (field.getType() == String.class) {
                values.add(field.getName());
            } else {
                throw new AssertionError("unexpected public constant " + field);
            }
        }

        assertThat(keys).as("keys in MessagingAttributes; add each new one to EXPECTED_KEYS")
                .isEqualTo(union(EXPECTED_KEYS.keySet(), EXTENSION_KEYS.keySet()));
        assertThat(values).as("values in MessagingAttributes; add each new one to EXPECTED_VALUES")
                .isEqualTo(new TreeSet<>(EXPECTED_VALUES.keySet()));
    }

    private static TreeSet<String> union(Set<String> a, Set<String> b) {
        TreeSet<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }

    private static Field field(String name) {
        try {
            return MessagingAttributes.class.getField(name);
        } catch (NoSuchFieldException e) {
            throw new AssertionError("MessagingAttributes has no public field " + name, e);
        }
    }
}
