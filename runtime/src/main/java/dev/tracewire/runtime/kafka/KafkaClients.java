package dev.tracewire.runtime.kafka;

import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Facts about a Kafka client that its interfaces do not expose directly. */
final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * The client's {@code client.id}, read once from the {@code client-id} tag its metrics carry,
     * or {@code null} when it has none (a mock, for instance).
     */
    static String clientId(Map<MetricName, ? extends Metric> metrics) {
        for (MetricName name : metrics.keySet()) {
            String clientId = name.tags().get("client-id");
            if (clientId != null && !clientId.isEmpty()) {
                return clientId;
            }
        }
        return null;
    }
}
