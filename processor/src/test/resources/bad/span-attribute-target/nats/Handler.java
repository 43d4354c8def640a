package test;

import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer
public interface Handler {

    @Subject("orders.placed")
    void onOrder(
            @SpanAttribute("order.body") String order);
}
