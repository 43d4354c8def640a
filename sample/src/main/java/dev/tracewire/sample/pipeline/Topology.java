package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.infra.Brokers;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The pipeline's topics, streams and hops: what an operator creates before the services start
 * (this sample creates what is missing, on embedded and external brokers alike).
 */
public final class Topology {

    public static final String READINGS = "sensor.readings";
    public static final String ANOMALIES = "sensor.anomalies";
    public static final String ALERTS = "alerts.enriched";
    public static final String INVENTORY = "inventory.reserve";
    public static final String WORK_ORDERS = "maintenance.work-orders";
    public static final String DEAD_LETTERS = "dlq." + ALERTS;

    /** Each topic and its partition count. */
    static final Map<String, Integer> TOPICS = Map.of(READINGS, 3, ANOMALIES, 1, WORK_ORDERS, 2);
    /** Each JetStream stream and the subject it stores. */
    static final Map<String, String> STREAMS = Map.of("ALERTS", ALERTS, "DEAD_LETTERS", DEAD_LETTERS);

    /** One hop of the pipeline: a message from one service to another. */
    public record Hop(String from, String to, String via, String destination) {
    }

    /** The pipeline's hops, in the order a reading travels them. */
    public static final List<Hop> HOPS = List.of(
            new Hop("ingest", "detector", "Kafka", READINGS),
            new Hop("detector", "enricher", "Kafka", ANOMALIES),
            new Hop("enricher", "orchestrator", "JetStream", ALERTS),
            new Hop("orchestrator", "inventory", "NATS request", INVENTORY),
            new Hop("orchestrator", "auditor", "Kafka, batches", WORK_ORDERS),
            new Hop("orchestrator", "dead letters", "JetStream", DEAD_LETTERS));

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Topology() {
    }

    /** Creates the topics and streams that do not exist yet. */
    static void create(Brokers brokers, Connection nats) {
        createTopics(brokers);
        createStreams(nats);
    }

    private static void createTopics(Brokers brokers) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.kafka()))) {
            for (Map.Entry<String, Integer> topic : TOPICS.entrySet()) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic.getKey(), topic.getValue(), (short) 1))).all()
                            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic.getKey(), e.getCause());
                    }
                }
            }
            awaitTopics(admin);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + brokers.kafka() + " did not create the topics within " + TIMEOUT,
                    e);
        }
    }

    /** Until every topic's metadata is known: a new topic is not visible to clients at once. */
    private static void awaitTopics(Admin admin) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                admin.describeTopics(TOPICS.keySet()).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("topics not visible: " + notYet.getCause());
                }
                Thread.sleep(20);
            }
        }
    }

    private static void createStreams(Connection nats) {
        try {
            JetStreamManagement management = nats.jetStreamManagement();
            List<String> existing = management.getStreamNames();
            for (Map.Entry<String, String> stream : STREAMS.entrySet()) {
                if (!existing.contains(stream.getKey())) {
                    management.addStream(StreamConfiguration.builder()
                            .name(stream.getKey())
                            .subjects(stream.getValue())
                            .storageType(StorageType.Memory)
                            .build());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the JetStream streams", e);
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("JetStream refused the streams (is JetStream enabled on the server?): "
                    + e.getMessage(), e);
        }
    }
}
