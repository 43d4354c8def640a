package dev.tracewire.sample.auditor;

import dev.tracewire.sample.model.WorkOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps the audit trail of work orders: how many arrived, in how many batches. */
public final class Auditor implements WorkOrderAudit {

    private final AtomicInteger orders = new AtomicInteger();
    private final AtomicInteger batches = new AtomicInteger();

    @Override
    public void onWorkOrders(List<WorkOrder> batch) {
        orders.addAndGet(batch.size());
        batches.incrementAndGet();
    }

    /** How many work orders were audited so far. */
    public int orders() {
        return orders.get();
    }

    /** In how many batches. */
    public int batches() {
        return batches.get();
    }
}
