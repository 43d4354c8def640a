package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "billing")
public interface Handler {

    @Topic("orders")
    void onOrder(
            @Key String orderId,
            @SpanAttribute("order.body") String order);
}
