package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Topic("orders")
    void placed(
            String order,
            @Header("tenant") @SpanAttribute("order.tenant") String tenant,
            @SpanAttribute("order.tenant") String customerTenant);
}
