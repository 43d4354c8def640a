package dev.tracewire.sample.containers.dagger;

import dagger.Component;
import jakarta.inject.Singleton;

/** The application's Dagger component: the service, and the generated consumers to start and close. */
@Singleton
@Component(modules = {ShippingBindings.class, Clients.class})
public interface ShippingComponent {

    ShippingService service();

    TracedJakartaShipping_ShipmentHandler shipmentConsumer();

    TracedJakartaShipping_ParcelHandler parcelConsumer();

    JakartaShipping.Shipments shipments();
}
