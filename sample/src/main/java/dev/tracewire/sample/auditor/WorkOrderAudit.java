package dev.tracewire.sample.auditor;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.sample.model.WorkOrder;
import java.util.List;

/** The auditor reads work orders in batches. */
@TracedConsumer(group = "auditor")
public interface WorkOrderAudit {

    /** The work orders of one poll, in one process span with a link to each order's send span. */
    @Topic("maintenance.work-orders")
    void onWorkOrders(List<WorkOrder> orders);
}
