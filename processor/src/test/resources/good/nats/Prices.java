package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.concurrent.CompletableFuture;

public final class Prices {

    private Prices() {
    }

    public record Price(String symbol, long cents) {
    }

    public static class PricingException extends Exception {
        private static final long serialVersionUID = 1L;
    }

    public static final class UnknownSymbolException extends PricingException {
        private static final long serialVersionUID = 1L;
    }

    public static final class StaleOrderException extends PricingException {
        private static final long serialVersionUID = 1L;
    }

    @TracedPublisher
    public interface Publisher {
        @Subject("prices.quoted")
        void quoted(Price price, @Header("tenant") String tenant);

        @Subject("prices.ping")
        void ping();

        @Subject(value = "orders.placed", stream = "ORDERS")
        void placed(String order);

        @Subject("orders.amended")
        PublishAck amended(String order);

        @Subject("orders.cancelled")
        CompletableFuture<PublishAck> cancelled(byte[] order);

        @Subject("prices.quote")
        Price quote(String symbol, @Header("tenant") String tenant);

        @Subject("prices.count")
        CompletableFuture<Integer> count();
    }

    @TracedConsumer(group = "pricing")
    public interface Handler {
        @Subject("prices.*.quoted")
        void onQuoted(Price price, @Header("tenant") String tenant);

        @Subject("prices.quote")
        Price quote(String symbol) throws UnknownSymbolException;

        @Subject(value = "orders.>", stream = "ORDERS")
        void onOrder(String order) throws StaleOrderException, IllegalStateException;
    }
}
