package dev.tracewire.sample.detector;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.model.Anomaly;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the detector announces; the Node.js enricher reads it with kafkajs. */
@TracedPublisher
public interface AnomalyEvents {

    /** A reading beyond its limit, keyed by asset; returns once Kafka acknowledged it. */
    @Topic("sensor.anomalies")
    RecordMetadata detected(@Key String assetId, Anomaly anomaly, @Header("tenant") String tenant);
}
