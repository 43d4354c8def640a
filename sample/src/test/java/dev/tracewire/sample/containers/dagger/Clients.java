package dev.tracewire.sample.containers.dagger;

import dagger.Module;
import dagger.Provides;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.containers.Deliveries;
import dev.tracewire.sample.infra.EmbeddedKafka;
import io.nats.client.Connection;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The clients and options the application already has, as Dagger bindings: the producer, the NATS
 * connection (both the application's, closed by it) and the options; and a new Kafka consumer for
 * each {@code Provider.get()} (unscoped), since each start of the generated consumer takes one.
 */
@Module
public final class Clients {

    private final EmbeddedKafka kafka;
    private final Producer<String, String> producer;
    private final Connection connection;
    private final TracewireOptions options;
    private final Deliveries deliveries;

    public Clients(EmbeddedKafka kafka, Producer<String, String> producer, Connection connection,
            TracewireOptions options, Deliveries deliveries) {
        this.kafka = kafka;
        this.producer = producer;
        this.connection = connection;
        this.options = options;
        this.deliveries = deliveries;
    }

    @Provides
    Producer<String, String> producer() {
        return producer;
    }

    // README: jsr-330 consumer
    @Provides // unscoped: each start() of the generated consumer takes a new one, which it closes
    Consumer<String, String> consumer() {
        return new KafkaConsumer<>(kafka.consumerConfig(JakartaShipping.SHIPPING_GROUP), new StringDeserializer(),
                new StringDeserializer());
    }
    // README: end

    @Provides
    Connection connection() {
        return connection;
    }

    @Provides
    TracewireOptions options() {
        return options;
    }

    @Provides
    Deliveries deliveries() {
        return deliveries;
    }
}
