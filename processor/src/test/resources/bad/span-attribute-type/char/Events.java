package test;

import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Subject("orders.placed")
    void placed(
            String order,
            @SpanAttribute("order.grade") char gradeLetter);
}
