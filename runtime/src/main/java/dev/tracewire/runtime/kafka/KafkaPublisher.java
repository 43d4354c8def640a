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

    public KafkaPublisher(Producer<K, V> producer, TracewireOptions options) {
        this.producer = Objects.requireNonNull(producer, "producer");
        Objects.requireNonNull(options, "options");
        this.tracer = Tracing.tracer(options.openTelemetry());
        this.propagator = options.openTelemetry().getPropagators().getTextMapPropagator();
        this.captureMessageKey = options.captureMessageKey();
        this.clientId = KafkaClients.clientId(producer.metrics());
    }

    /**
     * A publisher for methods that send no key: records go out with a {@code null} key, so a
     * producer of any key type serves.
     */
    @SuppressWarnings("unchecked") // only null keys are ever sent through the widened type
    public static <V> KafkaPublisher<Object, V> keyless(Producer<?, V> producer, TracewireOptions options) {
        return new KafkaPublisher<>((Producer<Object, V>) producer, options);
    }

    /** The sender of one method: its topic, span name and start attributes, computed once. */
    public KafkaSender<K, V> sender(String topic) {
        return new KafkaSender<>(this, topic);
    }
}
