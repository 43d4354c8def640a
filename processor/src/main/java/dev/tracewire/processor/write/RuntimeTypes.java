package dev.tracewire.processor.write;

import com.squareup.javapoet.ClassName;

/**
 * The types of the tracewire runtime, Kafka, NATS, OpenTelemetry and the JDK that generated code
 * names. Named here, never loaded: the processor has none of the runtime or client libraries on its
 * class path.
 */
public final class RuntimeTypes {

    private static final String RUNTIME = "dev.tracewire.runtime";
    private static final String RUNTIME_INTERNAL = "dev.tracewire.runtime.internal";
    private static final String RUNTIME_KAFKA = "dev.tracewire.runtime.kafka.internal";
    private static final String RUNTIME_NATS = "dev.tracewire.runtime.nats.internal";
    private static final String KAFKA_PRODUCER = "org.apache.kafka.clients.producer";
    private static final String KAFKA_CONSUMER = "org.apache.kafka.clients.consumer";
    private static final String OTEL_COMMON = "io.opentelemetry.api.common";

    public static final ClassName TRACEWIRE_OPTIONS = ClassName.get(RUNTIME, "TracewireOptions");
    public static final ClassName SUBSCRIPTION = ClassName.get(RUNTIME, "Subscription");
    public static final ClassName ATTRIBUTE_VALUES = ClassName.get(RUNTIME_INTERNAL, "AttributeValues");
    public static final ClassName CONSUMER_LIFECYCLE = ClassName.get(RUNTIME_INTERNAL, "ConsumerLifecycle");
    public static final ClassName PROPAGATION = ClassName.get(RUNTIME_INTERNAL, "Propagation");

    public static final ClassName KAFKA_PUBLISHER = ClassName.get(RUNTIME_KAFKA, "KafkaPublisher");
    public static final ClassName KAFKA_SENDER = ClassName.get(RUNTIME_KAFKA, "KafkaSender");
    public static final ClassName KAFKA_DISPATCHER = ClassName.get(RUNTIME_KAFKA, "KafkaDispatcher");
    public static final ClassName KAFKA_HEADERS = ClassName.get(RUNTIME_KAFKA, "KafkaHeaders");
    public static final ClassName KAFKA_BATCH = ClassName.get(RUNTIME_KAFKA, "KafkaBatch");

    public static final ClassName NATS_PUBLISHER = ClassName.get(RUNTIME_NATS, "NatsPublisher");
    public static final ClassName NATS_SENDER = ClassName.get(RUNTIME_NATS, "NatsSender");
    public static final ClassName NATS_REQUESTER = ClassName.get(RUNTIME_NATS, "NatsRequester");
    public static final ClassName NATS_DISPATCHER = ClassName.get(RUNTIME_NATS, "NatsDispatcher");
    public static final ClassName NATS_HEADERS = ClassName.get(RUNTIME_NATS, "NatsHeaders");
    public static final ClassName CONNECTION = ClassName.get("io.nats.client", "Connection");
    public static final ClassName MESSAGE = ClassName.get("io.nats.client", "Message");
    public static final ClassName HEADERS = ClassName.get("io.nats.client.impl", "Headers");

    public static final ClassName PRODUCER = ClassName.get(KAFKA_PRODUCER, "Producer");
    public static final ClassName PRODUCER_RECORD = ClassName.get(KAFKA_PRODUCER, "ProducerRecord");
    public static final ClassName CONSUMER = ClassName.get(KAFKA_CONSUMER, "Consumer");
    public static final ClassName CONSUMER_RECORD = ClassName.get(KAFKA_CONSUMER, "ConsumerRecord");

    public static final ClassName ATTRIBUTE_KEY = ClassName.get(OTEL_COMMON, "AttributeKey");
    public static final ClassName ATTRIBUTES = ClassName.get(OTEL_COMMON, "Attributes");

    public static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    public static final ClassName OBJECTS = ClassName.get("java.util", "Objects");

    private RuntimeTypes() {
    }
}
