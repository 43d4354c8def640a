package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Topic("orders")
    void placed(String order);

    @Subject("orders.amended")
    void amended(String order);
}
