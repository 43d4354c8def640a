package dev.tracewire.sample.containers.dagger;

import dev.tracewire.sample.containers.Deliveries;
import jakarta.inject.Inject;

/** The user's handler of shipments: records it, then sends the parcel through the injected NATS publisher. */
public class Packer implements JakartaShipping.ShipmentHandler {

    private final JakartaShipping.Parcels parcels;
    private final Deliveries deliveries;

    @Inject
    public Packer(JakartaShipping.Parcels parcels, Deliveries deliveries) {
        this.parcels = parcels;
        this.deliveries = deliveries;
    }

    @Override
    public void onShipped(String shipmentId, String item) {
        deliveries.shipment(shipmentId + ":" + item);
        parcels.sent(shipmentId + ":" + item);
    }
}
