package dev.tracewire.sample.containers.dagger;

import dev.tracewire.sample.containers.Deliveries;
import jakarta.inject.Inject;

/** The user's handler of parcels. */
public class Courier implements JakartaShipping.ParcelHandler {

    private final Deliveries deliveries;

    @Inject
    public Courier(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void onParcel(String parcel) {
        deliveries.parcel(parcel);
    }
}
