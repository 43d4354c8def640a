package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Topic("orders")
    void placed(
            @Key @SpanAttribute(" ") String orderId,
            String order);
}
