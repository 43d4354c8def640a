package test;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;

public final class Shipping {

    private Shipping() {
    }

    @TracedPublisher(componentModel = ComponentModel.SPRING)
    public interface Parcels {
        @Subject("parcels.sent")
        void sent(String parcel, @Header("carrier") String carrier);
    }

    @TracedConsumer(group = "shipping", componentModel = ComponentModel.SPRING)
    public interface Orders {
        @Topic("orders")
        void onOrder(@Key String orderId, String order);
    }

    @TracedConsumer(group = "shipping", componentModel = ComponentModel.SPRING)
    public interface Returns {
        @Subject("returns.requested")
        void onReturn(String parcel);
    }
}
