package dev.tracewire.runtime.internal;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute keys tracewire sets, as named by the OpenTelemetry messaging semantic conventions
 * (v1.4x, "development" stability). Kept here instead of depending on the alpha
 * {@code opentelemetry-semconv-incubating} artifact; a test checks every key against it.
 *
 * <p>For generated code and the runtime only; not a public API.
 */
public final class MessagingAttributes {

    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> MESSAGING_DESTINATION_NAME =
            AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGING_DESTINATION_TEMPLATE =
            AttributeKey.stringKey("messaging.destination.template");
    public static final AttributeKey<String> MESSAGING_DESTINATION_PARTITION_ID =
            AttributeKey.stringKey("messaging.destination.partition.id");
    public static final AttributeKey<String> MESSAGING_OPERATION_TYPE =
            AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> MESSAGING_OPERATION_NAME =
            AttributeKey.stringKey("messaging.operation.name");
    public static final AttributeKey<String> MESSAGING_CLIENT_ID = AttributeKey.stringKey("messaging.client.id");
    public static final AttributeKey<String> MESSAGING_CONSUMER_GROUP_NAME =
            AttributeKey.stringKey("messaging.consumer.group.name");
    public static final AttributeKey<Long> MESSAGING_MESSAGE_BODY_SIZE =
            AttributeKey.longKey("messaging.message.body.size");
    public static final AttributeKey<Long> MESSAGING_BATCH_MESSAGE_COUNT =
            AttributeKey.longKey("messaging.batch.message_count");
    public static final AttributeKey<String> MESSAGING_KAFKA_MESSAGE_KEY =
            AttributeKey.stringKey("messaging.kafka.message.key");
    public static final AttributeKey<Boolean> MESSAGING_KAFKA_MESSAGE_TOMBSTONE =
            AttributeKey.booleanKey("messaging.kafka.message.tombstone");
    public static final AttributeKey<Long> MESSAGING_KAFKA_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /*
     * NATS JetStream facts, which the semantic conventions have no names for yet; named like the
     * Kafka ones until they do.
     */
    public static final AttributeKey<String> MESSAGING_NATS_STREAM = AttributeKey.stringKey("messaging.nats.stream");
    public static final AttributeKey<Long> MESSAGING_NATS_SEQUENCE = AttributeKey.longKey("messaging.nats.sequence");
    public static final AttributeKey<Long> MESSAGING_NATS_DELIVERY_COUNT =
            AttributeKey.longKey("messaging.nats.message.delivery_count");

    /** Values of {@code messaging.system}. */
    public static final String SYSTEM_KAFKA = "kafka";
    public static final String SYSTEM_NATS = "nats";

    /** Values of {@code messaging.operation.type}. */
    public static final String OPERATION_TYPE_SEND = "send";
    public static final String OPERATION_TYPE_PROCESS = "process";

    private MessagingAttributes() {
    }
}
