package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

@TracedPublisher
public interface OrderEvents {

    @Topic("orders")
    CompletableFuture<RecordMetadata> placed(@Key String orderId, Order order, @Header("tenant") String tenant);

    @Topic("orders")
    CompletionStage<RecordMetadata> amended(@Key String orderId, Order order);

    @Topic("orders")
    Future<RecordMetadata> cancelled(@Key String orderId, Order order, @Header("reason") byte[] reason);

    @Topic("audit")
    RecordMetadata audited(@Key String orderId, Order order);

    @Topic("orders")
    void deleted(@Key String orderId);

    /** Default methods stay as they are: the generated class inherits them. */
    default CompletableFuture<RecordMetadata> placed(Order order) {
        return placed(order.id(), order, "default-tenant");
    }

    /** Static methods are not the generated class's business. */
    static Order order(String id) {
        return new Order(id, 0);
    }

    record Order(String id, long amountCents) {
    }
}
