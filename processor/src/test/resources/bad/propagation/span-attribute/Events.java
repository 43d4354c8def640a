package test;

import dev.tracewire.annotations.Propagation;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Topic(value = "orders", propagation = Propagation.HEADERS_ONLY)
    void placed(String order, @SpanAttribute("order.tenant") String tenant);
}
