package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

public final class Orders {

    private Orders() {
    }

    @TracedPublisher
    public interface Publisher {

        /** The key, a header and an extra parameter: each goes on the send span. */
        @Topic("orders")
        CompletableFuture<RecordMetadata> placed(@Key @SpanAttribute("order.id") String orderId, Order order,
                @Header("tenant") @SpanAttribute("order.tenant") String tenant,
                @SpanAttribute("order.priority") int priority);

        /** Extra parameters of boxed and floating types; the same attribute as placed() shares its constant. */
        @Topic("orders")
        void amended(@Key @SpanAttribute("order.id") String orderId, Order order,
                @SpanAttribute("order.express") boolean express, @SpanAttribute("order.discount") Float discount);

        /** Without attributes, a method is generated as it always was. */
        @Topic("orders")
        RecordMetadata cancelled(@Key String orderId, Order order);

        /** More attributes than Attributes.of takes: the builder. */
        @Topic("audit")
        RecordMetadata audited(@Key String orderId, Order order, @SpanAttribute("audit.a") String a,
                @SpanAttribute("audit.b") long b, @SpanAttribute("audit.c") Long c, @SpanAttribute("audit.d") byte d,
                @SpanAttribute("audit.e") Short e, @SpanAttribute("audit.f") Boolean f,
                @SpanAttribute("audit.g") Double g);
    }

    @TracedConsumer(group = "billing")
    public interface Handler {

        /** The key and a header come from the record; they go on the process span. */
        @Topic("orders")
        void onOrder(@Key @SpanAttribute("order.id") String orderId, Order order,
                @Header("tenant") @SpanAttribute("order.tenant") String tenant);

        @Topic("refunds")
        void onRefund(@Key String orderId, Order refund);
    }

    public record Order(String id, long amountCents) {
    }
}
