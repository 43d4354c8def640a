package dev.tracewire.sample.containers.spring;

import dev.tracewire.sample.containers.Deliveries;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.springframework.stereotype.Component;

/**
 * The user's handler of shipments: records it, then sends the parcel on NATS through the generated
 * publisher Spring injected by its interface. A shipment named {@code slow} takes {@link #SLOW}.
 */
@Component
public class Packer implements SpringShipping.ShipmentHandler {

    public static final Duration SLOW = Duration.ofMillis(700);

    private final SpringShipping.Parcels parcels;
    private final Deliveries deliveries;
    private volatile CountDownLatch slowStarted = new CountDownLatch(1);

    public Packer(SpringShipping.Parcels parcels, Deliveries deliveries) {
        this.parcels = parcels;
        this.deliveries = deliveries;
    }

    @Override
    public void onShipped(String shipmentId, String item) throws InterruptedException {
        if (item.equals("slow")) {
            slowStarted.countDown();
            Thread.sleep(SLOW.toMillis());
        }
        deliveries.shipment(shipmentId + ":" + item);
        parcels.sent(shipmentId + ":" + item);
    }

    /** Counts down when a slow shipment's handling has begun. */
    public CountDownLatch slowStarted() {
        return slowStarted;
    }
}
