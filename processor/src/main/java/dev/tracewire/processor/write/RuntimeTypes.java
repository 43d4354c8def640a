package dev.tracewire.processor.write;

import com.squareup.javapoet.ClassName;

/**
 * The types of the tracewire runtime, Kafka and the JDK that generated code names. Named here,
 * never loaded: the processor has none of the runtime or client libraries on its class path.
 */
final class RuntimeTypes {

    private static final String RUNTIME = "dev.tracewire.runtime";
    private static final String RUNTIME_KAFKA = "dev.tracewire.runtime.kafka";
    private static final String RUNTIME_NATS = "dev.tracewire.runtime.nats";
    private static final String KAFKA_PRODUCER = "org.apache.kafka.clients.producer";
    private static final String KAFKA_CONSUMER = "org.apache.kafka.clients.consumer";

    static final ClassName TRACEWIRE_OPTIONS = ClassName.get(RUNTIME, "TracewireOptions");
    static final ClassName SUBSCRIPTION = ClassName.get(RUNTIME, "Subscription");

    static final ClassName KAFKA_PUBLISHER = ClassName.get(RUNTIME_KAFKA, "KafkaPublisher");
    static final ClassName KAFKA_SENDER = ClassName.get(RUNTIME_KAFKA, "KafkaSender");
    static final ClassName KAFKA_DISPATCHER = ClassName.get(RUNTIME_KAFKA, "KafkaDispatcher");
    static final ClassName KAFKA_HEADERS = ClassName.get(RUNTIME_KAFKA, "KafkaHeaders");

    static final ClassName NATS_PUBLISHER = ClassName.get(RUNTIME_NATS, "NatsPublisher");
    static final ClassName NATS_SENDER = ClassName.get(RUNTIME_NATS, "NatsSender");
    static final ClassName NATS_REQUESTER = ClassName.get(RUNTIME_NATS, "NatsRequester");
    static final ClassName NATS_DISPATCHER = ClassName.get(RUNTIME_NATS, "NatsDispatcher");
    static final ClassName NATS_HEADERS = ClassName.get(RUNTIME_NATS, "NatsHeaders");
    static final ClassName CONNECTION = ClassName.get("io.nats.client", "Connection");
    static final ClassName MESSAGE = ClassName.get("io.nats.client", "Message");
    static final ClassName HEADERS = ClassName.get("io.nats.client.impl", "Headers");

    static final ClassName PRODUCER = ClassName.get(KAFKA_PRODUCER, "Producer");
    static final ClassName PRODUCER_RECORD = ClassName.get(KAFKA_PRODUCER, "ProducerRecord");
    static final ClassName CONSUMER = ClassName.get(KAFKA_CONSUMER, "Consumer");
    static final ClassName CONSUMER_RECORD = ClassName.get(KAFKA_CONSUMER, "ConsumerRecord");

    static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
    static final ClassName OBJECTS = ClassName.get("java.util", "Objects");

    private RuntimeTypes() {
    }
}
