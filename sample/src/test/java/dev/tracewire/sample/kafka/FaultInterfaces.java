package dev.tracewire.sample.kafka;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The interfaces of the broker fault test: a publisher whose callers see every failure, and its consumer. */
final class FaultInterfaces {

    static final String ORDERS = "faults.orders";
    static final String GROUP = "faults-orders";

    private FaultInterfaces() {
    }

    @TracedPublisher
    interface OrderEvents {
        @Topic(ORDERS)
        CompletableFuture<RecordMetadata> placed(@Key String orderId, String order);
    }

    @TracedConsumer(group = GROUP)
    interface OrderHandler {
        @Topic(ORDERS)
        void onOrder(@Key String orderId, String order);
    }
}
