package dev.tracewire.sample.infra;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where the sample's services find Kafka and NATS, and the client settings they share: what each
 * service of a real deployment would read from its configuration.
 *
 * @param kafka Kafka's bootstrap servers, {@code host:port[,host:port...]}
 * @param nats the NATS server's URL, {@code nats://host:port}
 */
public record Brokers(String kafka, String nats) {

    /** {@link #producerConfig(String)} for this Kafka. */
    public Map<String, Object> producerConfig() {
        return producerConfig(kafka);
    }

    /** {@link #consumerConfig(String, String)} for this Kafka. */
    public Map<String, Object> consumerConfig(String group) {
        return consumerConfig(kafka, group);
    }

    /**
     * Producer settings: bootstrap servers, {@code acks=all}, idempotence, no linger; the caller
     * gives the serializers (and anything else) in the returned mutable map.
     */
    public static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return config;
    }

    /**
     * Consumer settings for {@code group}: bootstrap servers, {@code auto.offset.reset=earliest}
     * (a new group reads what was sent before it joined), no auto commit (tracewire commits after
     * the handler), short fetch waits; the caller gives the deserializers in the returned mutable map.
     */
    public static Map<String, Object> consumerConfig(String bootstrapServers, String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        return config;
    }

    /** A new connection to the NATS server, named for the server's monitoring; the caller closes it. */
    public Connection connectNats(String connectionName) {
        Options options = Options.builder()
                .server(nats)
                .connectionName(connectionName)
                .connectionTimeout(Duration.ofSeconds(5))
                .build();
        try {
            return Nats.connect(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to NATS at " + nats, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS at " + nats, e);
        }
    }

    /** Closes a NATS connection (flushing what it buffered); an interruption is kept for the caller to see. */
    public static void close(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
