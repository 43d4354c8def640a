package test;

import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Topic("orders")
    void placed(
            String order,
            @SpanAttribute("order.customer") Customer customerRecord);

    record Customer(String id) {
    }
}
