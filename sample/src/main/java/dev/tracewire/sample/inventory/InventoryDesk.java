package dev.tracewire.sample.inventory;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.sample.model.PartRequest;
import dev.tracewire.sample.model.Reservation;

/** The inventory answers requests for spare parts over NATS request-reply. */
@TracedConsumer(group = "inventory")
public interface InventoryDesk {

    /** Reserves a part; what it returns is the reply, sent inside the request's trace. */
    @Subject("inventory.reserve")
    Reservation reserve(PartRequest request);
}
