package dev.tracewire.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.internal.Endpoint;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code server.address} and {@code server.port} come from the first bootstrap server of a real
 * client, read once when the generated client is built (building a Kafka client does not connect,
 * so no broker is needed); {@code messaging.client.id} from its metrics.
 */
class KafkaClientsTest {

    private static final String BOOTSTRAP = "127.0.0.1:9093,127.0.0.2:9094";

    @Test
    void aProducersEndpointIsItsFirstBootstrapServerAndItsClientId() {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.CLIENT_ID_CONFIG, "orders-publisher",
                ProducerConfig.CLIENT_DNS_LOOKUP_CONFIG, "use_all_dns_ips"),
                new StringSerializer(), new StringSerializer())) {
            assertThat(KafkaClients.endpoint(producer, producer.metrics()))
                    .isEqualTo(new Endpoint("127.0.0.1", 9093, "orders-publisher"));
            producer.close(Duration.ZERO);
        }
    }

    @Test
    void aConsumersEndpointIsItsFirstBootstrapServerAndItsClientId() {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ConsumerConfig.CLIENT_ID_CONFIG, "billing-1",
                ConsumerConfig.GROUP_ID_CONFIG, "billing"),
                new StringDeserializer(), new StringDeserializer())) {
            assertThat(KafkaClients.endpoint(consumer, consumer.metrics()))
                    .isEqualTo(new Endpoint("127.0.0.1", 9093, "billing-1"));
        }
    }

    @Test
    void aClientWithoutClusterMetadataHasNoServerAddress() {
        MockProducer<String, String> producer =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());

        assertThat(KafkaClients.endpoint(producer, producer.metrics())).isEqualTo(Endpoint.UNKNOWN);
        assertThat(KafkaClients.endpoint(consumer, consumer.metrics())).isEqualTo(Endpoint.UNKNOWN);
    }
}
