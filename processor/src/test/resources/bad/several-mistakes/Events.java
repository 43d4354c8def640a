package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    void placed(String order);

    @Topic("refunds")
    void refunded(
            @Key String orderId,
            @Key String refundId,
            String refund);

    @Topic("audit")
    void audited(
            String entry,
            @Header("traceparent") String parent);
}
