package dev.tracewire.sample.containers.plain;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The shipping flow's interfaces as plain classes, wired by hand: the trace the containers must match. */
public final class PlainShipping {

    public static final String SHIPMENTS = "plain-shipments";
    public static final String PARCELS = "plain.parcels";
    public static final String SHIPPING_GROUP = "plain-shipping";

    private PlainShipping() {
    }

    @TracedPublisher
    public interface Shipments {
        @Topic(SHIPMENTS)
        CompletableFuture<RecordMetadata> shipped(@Key String shipmentId, String item);
    }

    @TracedConsumer(group = SHIPPING_GROUP)
    public interface ShipmentHandler {
        @Topic(SHIPMENTS)
        void onShipped(@Key String shipmentId, String item);
    }

    @TracedPublisher
    public interface Parcels {
        @Subject(PARCELS)
        void sent(String parcel);
    }

    @TracedConsumer(group = "plain-couriers")
    public interface ParcelHandler {
        @Subject(PARCELS)
        void onParcel(String parcel);
    }
}
