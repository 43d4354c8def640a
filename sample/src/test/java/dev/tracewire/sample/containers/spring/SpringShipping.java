package dev.tracewire.sample.containers.spring;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The shipping flow's interfaces as Spring components: the processor makes each generated class a
 * {@code @Component} that the test's context finds by scanning this package.
 */
public final class SpringShipping {

    public static final String SHIPMENTS = "spring-shipments";
    public static final String PARCELS = "spring.parcels";
    public static final String SHIPPING_GROUP = "spring-shipping";

    private SpringShipping() {
    }

    @TracedPublisher(componentModel = ComponentModel.SPRING)
    public interface Shipments {
        @Topic(SHIPMENTS)
        CompletableFuture<RecordMetadata> shipped(@Key String shipmentId, String item);
    }

    @TracedConsumer(group = SHIPPING_GROUP, componentModel = ComponentModel.SPRING)
    public interface ShipmentHandler {
        @Topic(SHIPMENTS)
        void onShipped(@Key String shipmentId, String item) throws InterruptedException;
    }

    @TracedPublisher(componentModel = ComponentModel.SPRING)
    public interface Parcels {
        @Subject(PARCELS)
        void sent(String parcel);
    }

    @TracedConsumer(group = "spring-couriers", componentModel = ComponentModel.SPRING)
    public interface ParcelHandler {
        @Subject(PARCELS)
        void onParcel(String parcel);
    }
}
