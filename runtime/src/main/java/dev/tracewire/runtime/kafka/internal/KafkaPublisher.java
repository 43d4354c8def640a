package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.Endpoint;
import dev.tracewire.runtime.internal.Propagation;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.Telemetry;
import dev.tracewire.runtime.kafka.KafkaOptions;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;

/**
 * The Kafka side of one generated publisher: the user's producer, what it is connected to, and the
 * telemetry, shared by the {@link KafkaSender} of each of its methods. Where OpenTelemetry's Java
 * agent instruments the producer, the agent's PRODUCER span is each send's only one: tracewire's
 * telemetry is then off for sends (see {@code AgentInstrumentation}).
 *
 * @param <K> the producer's key type
 * @param <V> the producer's value type
 */
public final class KafkaPublisher<K, V> {

    private static final String OPERATION_NAME = "send";

    final Producer<K, V> producer;
    private final Telemetry telemetry;
    private final Endpoint endpoint;
    private final KafkaAdapters.Send adapter;
    /** Whether senders hand the context to a {@code KafkaPayloadCarrier} serializer to embed in the value. */
    final boolean embedsInPayload;

    public KafkaPublisher(Producer<K, V> producer, TracewireOptions options) {
        this.producer = Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(options, "options");
        this.telemetry = KafkaAgent.instruments(producer, KafkaOptions.of(options).agentInstrumentation())
                ? Telemetry.of(options.toBuilder().openTelemetry(OpenTelemetry.noop()).build())
                : Telemetry.of(options);
        this.endpoint = KafkaClients.endpoint(producer, producer.metrics());
        this.adapter = new KafkaAdapters.Send(KafkaOptions.of(options).captureMessageKey());
        this.embedsInPayload = options.payloadCarrier().embedsOnPublish();
    }

    /**
     * A publisher for an interface none of whose methods sends a key, or none a value: that part
     * always goes out as {@code null}, so a producer of any type for it serves.
     */
    @SuppressWarnings("unchecked") // the widened part only ever carries null
    public static <K, V> KafkaPublisher<K, V> widened(Producer<?, ?> producer, TracewireOptions options) {
        return new KafkaPublisher<>((Producer<K, V>) producer, options);
    }

    /** The sender of one method: its topic, span name and start attributes, computed once. */
    public KafkaSender<K, V> sender(String topic) {
        return sender(topic, Propagation.PROPAGATE);
    }

    /** As {@link #sender(String)}, for a method with another propagation policy. */
    public KafkaSender<K, V> sender(String topic, Propagation propagation) {
        return new KafkaSender<>(this, new SendOperation<>(telemetry, KafkaAdapters.SYSTEM, OPERATION_NAME, topic,
                endpoint, adapter, propagation));
    }
}
