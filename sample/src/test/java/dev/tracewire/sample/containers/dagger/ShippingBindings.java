package dev.tracewire.sample.containers.dagger;

import dagger.Binds;
import dagger.Module;

/** Which class serves each interface: the generated publishers, and the user's handlers. */
@Module
public interface ShippingBindings {

    // README: jsr-330 bindings
    @Binds
    JakartaShipping.Shipments shipments(TracedJakartaShipping_Shipments generated);

    @Binds
    JakartaShipping.Parcels parcels(TracedJakartaShipping_Parcels generated);

    @Binds
    JakartaShipping.ShipmentHandler shipmentHandler(Packer packer);

    @Binds
    JakartaShipping.ParcelHandler parcelHandler(Courier courier);
    // README: end
}
