package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "billing")
public interface OrderHandler {

    @Topic("orders")
    void onOrder(@Key String orderId, String order, @Header("tenant") String tenant, @Header("trace-note") byte[] note)
            throws BillingException;

    @Topic("refunds")
    void onRefund(String refund);
}
