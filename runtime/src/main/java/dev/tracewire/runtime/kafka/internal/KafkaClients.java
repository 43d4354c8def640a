package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.internal.Endpoint;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;

/**
 * Facts about a Kafka client that its interfaces do not expose, read once when a generated client
 * is built, never per record.
 */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * The broker a client talks to, as the semantic conventions ask for {@code server.address}: the
     * first of its bootstrap servers; and its {@code client.id}.
     */
    static Endpoint endpoint(Object client, Map<MetricName, ? extends Metric> metrics) {
        Node first = firstBootstrapNode(client);
        String clientId = clientId(metrics);
        return first == null ? Endpoint.UNKNOWN.withClientId(clientId)
                : new Endpoint(first.host(), first.port(), clientId);
    }

    /**
     * The client's {@code client.id}, read from the {@code client-id} tag its metrics carry, or
     * {@code null} when it has none (a mock, for instance).
     */
    static String clientId(Map<MetricName, ? extends Metric> metrics) {
        try {
            for (MetricName name : metrics.keySet()) {
                String clientId = name.tags().get("client-id");
                if (clientId != null && !clientId.isEmpty()) {
                    return clientId;
                }
            }
        } catch (RuntimeException e) {
            // A client whose metrics fail has no id to record; that is all.
        }
        return null;
    }

    /**
     * The first bootstrap server in the cluster metadata a {@code KafkaProducer} or {@code KafkaConsumer}
     * holds. The Kafka interfaces do not expose
     * it, so it is read from the client's {@code metadata} field (a consumer keeps it in its
     * {@code delegate}), as OpenTelemetry's own Kafka instrumentation does; {@code null} for any
     * other client, or when the field is not there.
     */
    private static Node firstBootstrapNode(Object client) {
        try {
            Object metadata = field(client, "metadata");
            if (metadata == null) {
                Object delegate = field(client, "delegate");
                metadata = delegate == null ? null : field(delegate, "metadata");
            }
            if (metadata == null) {
                return null;
            }
            Method fetch = metadata.getClass().getMethod("fetch");
            Object cluster = fetch.invoke(metadata);
            Object nodes = cluster.getClass().getMethod("nodes").invoke(cluster);
            return nodes instanceof List<?> list ? first(list) : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /**
     * The first bootstrap server among a cluster's nodes, which the client keeps in no particular
     * order: bootstrap servers get the ids -1, -2... in the order they were configured. Once the
     * client learned the real brokers, the one with the lowest id.
     */
    private static Node first(List<?> nodes) {
        Node first = null;
        for (Object candidate : nodes) {
            if (candidate instanceof Node node && (first == null || precedes(node, first))) {
                first = node;
            }
        }
        return first;
    }

    private static boolean precedes(Node node, Node other) {
        boolean bootstrap = node.id() < 0;
        if (bootstrap != other.id() < 0) {
            return bootstrap;
        }
        return bootstrap ? node.id() > other.id() : node.id() < other.id();
    }

    private static Object field(Object target, String name) throws IllegalAccessException {
        for (Class<?> type = target.getClass(); type != null && type != Object.class; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }
}
