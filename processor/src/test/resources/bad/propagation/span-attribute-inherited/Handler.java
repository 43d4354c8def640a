package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Propagation;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "billing", propagation = Propagation.HEADERS_ONLY)
public interface Handler {

    @Topic("orders")
    void onOrder(@Key @SpanAttribute("order.id") String orderId, String order);
}
