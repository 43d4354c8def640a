package dev.tracewire.sample.orchestrator;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.model.PartRequest;
import dev.tracewire.sample.model.Reservation;

/** The inventory as the orchestrator asks it: a NATS request that waits for the reply. */
@TracedPublisher(componentModel = ComponentModel.SPRING)
public interface Inventory {

    @Subject("inventory.reserve")
    Reservation reserve(PartRequest request);
}
