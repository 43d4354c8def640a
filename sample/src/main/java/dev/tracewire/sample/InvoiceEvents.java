package dev.tracewire.sample;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Billing's announcements. */
@TracedPublisher
public interface InvoiceEvents {

    /** An invoice was issued for an order; returns once Kafka acknowledged it. */
    @Topic("invoices")
    RecordMetadata issued(@Key String orderId, String invoice, @Header("tenant") String tenant);
}
