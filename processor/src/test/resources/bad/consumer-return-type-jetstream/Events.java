package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer
public interface Events {

    @Subject(value = "orders.>", stream = "ORDERS")
    String onOrder(String order);
}
