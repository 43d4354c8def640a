package dev.tracewire.sample.containers.dagger;

import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** A service of the user's that Dagger gives the generated publisher, asked for by its interface. */
public class ShippingService {

    private final JakartaShipping.Shipments shipments;

    @Inject
    public ShippingService(JakartaShipping.Shipments shipments) {
        this.shipments = shipments;
    }

    public JakartaShipping.Shipments shipments() {
        return shipments;
    }

    public CompletableFuture<RecordMetadata> ship(String shipmentId, String item) {
        return shipments.shipped(shipmentId, item);
    }
}
