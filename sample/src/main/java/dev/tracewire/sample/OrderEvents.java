package dev.tracewire.sample;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the shop tells the world about orders. */
@TracedPublisher
public interface OrderEvents {

    /** An order was placed; completes when Kafka has it. */
    @Topic("orders")
    CompletableFuture<RecordMetadata> placed(@Key String orderId, Order order, @Header("tenant") String tenant);
}
