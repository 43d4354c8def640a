package dev.tracewire.sample.orchestrator;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.sample.model.Alert;

/** The orchestrator's view of enriched alerts: a durable JetStream consumer, run by Spring. */
@TracedConsumer(group = "orchestrator", componentModel = ComponentModel.SPRING)
public interface AlertHandler {

    @Subject(value = "alerts.enriched", stream = "ALERTS")
    void onAlert(Alert alert, @Header("tenant") String tenant) throws PartUnavailableException;
}
