package dev.tracewire.sample.orchestrator;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.model.WorkOrder;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The repairs the orchestrator schedules. */
@TracedPublisher(componentModel = ComponentModel.SPRING)
public interface WorkOrders {

    /** A work order, keyed by asset; returns once Kafka acknowledged it. */
    @Topic("maintenance.work-orders")
    RecordMetadata scheduled(@Key String assetId, WorkOrder order, @Header("tenant") String tenant);
}
