package dev.tracewire.sample.containers.spring;

import dev.tracewire.sample.containers.Deliveries;
import org.springframework.stereotype.Component;

/** The user's handler of parcels. */
@Component
public class Courier implements SpringShipping.ParcelHandler {

    private final Deliveries deliveries;

    public Courier(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void onParcel(String parcel) {
        deliveries.parcel(parcel);
    }
}
