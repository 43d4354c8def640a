package dev.tracewire.sample;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

/** Billing's view of orders. */
@TracedConsumer(group = "billing")
public interface OrderHandler {

    @Topic("orders")
    void onOrder(@Key String orderId, Order order, @Header("tenant") String tenant) throws BillingException;
}
