package dev.tracewire.sample.orchestrator;

import dev.tracewire.sample.model.Alert;
import dev.tracewire.sample.model.PartRequest;
import dev.tracewire.sample.model.Reservation;
import dev.tracewire.sample.model.WorkOrder;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * Turns each alert into a work order once the inventory reserved its part. Spring gives it the
 * generated {@link Inventory} and {@link WorkOrders} by their interfaces, and runs it from the
 * generated JetStream consumer of {@link AlertHandler}; the request and the work order join the
 * alert's trace.
 */
@Component
public class Orchestrator implements AlertHandler {

    private final Inventory inventory;
    private final WorkOrders workOrders;
    private final AtomicInteger scheduled = new AtomicInteger();

    public Orchestrator(Inventory inventory, WorkOrders workOrders) {
        this.inventory = inventory;
        this.workOrders = workOrders;
    }

    @Override
    public void onAlert(Alert alert, String tenant) throws PartUnavailableException {
        Reservation reservation = inventory.reserve(new PartRequest(alert.part(), alert.assetId(), 1));
        if (!reservation.reserved()) {
            throw new PartUnavailableException("cannot reserve " + alert.part() + " for " + alert.assetId() + ": "
                    + reservation.reason());
        }
        String priority = alert.severity().equals("critical") ? "P1" : "P2";
        WorkOrder order = new WorkOrder("WO-" + alert.alertId(), alert.assetId(), alert.part(), reservation.bin(),
                priority, alert.alertId());
        workOrders.scheduled(alert.assetId(), order, tenant);
        scheduled.incrementAndGet();
    }

    /** How many work orders were scheduled so far. */
    public int scheduled() {
        return scheduled.get();
    }
}
