package dev.tracewire.sample.containers.spring;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.springframework.stereotype.Component;

/** A service of the user's that Spring gives the generated publisher, asked for by its interface. */
@Component
public class ShippingService {

    private final SpringShipping.Shipments shipments;

    public ShippingService(SpringShipping.Shipments shipments) {
        this.shipments = shipments;
    }

    public SpringShipping.Shipments shipments() {
        return shipments;
    }

    public CompletableFuture<RecordMetadata> ship(String shipmentId, String item) {
        return shipments.shipped(shipmentId, item);
    }
}
