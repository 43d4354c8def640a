package dev.tracewire.runtime.kafka;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Objects;
import org.apache.kafka.clients.producer.Producer;

/**
 * The tracing side of one generated Kafka publisher: the user's producer, the tracer and the
 * propagator, shared by the {@link KafkaSender} of each of its methods. Called by generated code.
 *
 * @param <K> the producer's key type
 * @param <V> the producer's value type
 */
public final class KafkaPublisher<K, V> {

    final Producer<K, V> producer;
    final Tracer tracer;
    final TextMapPropagator propagator;
    final boolean captureMessageKey;
    final String clientId;
    /** False when the {@code OpenTelemetry} is a no-op one: records then go out untouched. */
    final boolean tracing;

    public KafkaPublisher(Producer<K, V> producer, TracewireOptions options) {
        this.producer = Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(options, "options");
        this.tracer = Tracing.tracer(options.openTelemetry());
        this.propagator = options.openTelemetry().getPropagators().getTextMapPropagator();
        this.captureMessageKey = options.captureMessageKey();
        this.tracing = !Tracing.isNoop(options.openTelemetry());
        this.clientId = KafkaClients.clientId(producer.metrics());
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
        return new KafkaSender<>(this, topic);
    }
}
