package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Subject("orders")
    void placed(
            @Key String orderId,
            String order);
}
