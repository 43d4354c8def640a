package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "audit")
public interface Handler {

    @Subject("orders.placed")
    void onOrder(String order);

    @Subject("orders.placed")
    void onOrderAgain(String order);
}
