package dev.tracewire.sample.containers.dagger;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The shipping flow's interfaces as JSR-330 components: each generated class is a
 * {@code @Singleton} with an {@code @Inject} constructor, which Dagger's processor, running in the
 * same javac as tracewire's, wires into {@link ShippingComponent}.
 */
public final class JakartaShipping {

    public static final String SHIPMENTS = "dagger-shipments";
    public static final String PARCELS = "dagger.parcels";
    public static final String SHIPPING_GROUP = "dagger-shipping";

    private JakartaShipping() {
    }

    @TracedPublisher(componentModel = ComponentModel.JAKARTA)
    public interface Shipments {
        @Topic(SHIPMENTS)
        CompletableFuture<RecordMetadata> shipped(@Key String shipmentId, String item);
    }

    @TracedConsumer(group = SHIPPING_GROUP, componentModel = ComponentModel.JAKARTA)
    public interface ShipmentHandler {
        @Topic(SHIPMENTS)
        void onShipped(@Key String shipmentId, String item);
    }

    @TracedPublisher(componentModel = ComponentModel.JAKARTA)
    public interface Parcels {
        @Subject(PARCELS)
        void sent(String parcel);
    }

    @TracedConsumer(group = "dagger-couriers", componentModel = ComponentModel.JAKARTA)
    public interface ParcelHandler {
        @Subject(PARCELS)
        void onParcel(String parcel);
    }
}
