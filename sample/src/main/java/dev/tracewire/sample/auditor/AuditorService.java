package dev.tracewire.sample.auditor;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.model.JsonSerde;
import dev.tracewire.sample.model.WorkOrder;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The auditor service, wired by hand: a batch consumer of work orders. */
public final class AuditorService implements AutoCloseable {

    private final Auditor auditor;
    private final Subscription subscription;

    private AuditorService(Auditor auditor, Subscription subscription) {
        this.auditor = auditor;
        this.subscription = subscription;
    }

    /** Starts consuming work orders, traced with {@code openTelemetry} (the service's own SDK). */
    public static AuditorService start(Brokers brokers, OpenTelemetry openTelemetry) {
        Map<String, Object> config = brokers.consumerConfig("auditor");
        // A poll waits up to 300 ms for a few work orders, so that a batch holds more than one.
        config.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1_024);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 300);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(openTelemetry).build();
        Auditor auditor = new Auditor();
        Subscription subscription = new TracedWorkOrderAudit(auditor, options).start(
                new KafkaConsumer<>(config, new StringDeserializer(), JsonSerde.deserializer(WorkOrder.class)));
        return new AuditorService(auditor, subscription);
    }

    public Auditor auditor() {
        return auditor;
    }

    /** Finishes the batch in flight, commits, closes the consumer. */
    @Override
    public void close() {
        subscription.close();
    }
}
