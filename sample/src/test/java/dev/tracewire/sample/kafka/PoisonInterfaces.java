package dev.tracewire.sample.kafka;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The interfaces of the reliability tests: records that cannot be deserialized, and handlers that
 * keep failing until their records are dead-lettered. The consumers declare no group, so that one
 * topic can be read by a group per scenario.
 */
final class PoisonInterfaces {

    /** Ints 1..5, eight garbage bytes, ints 6..10. */
    static final String NUMBERS = "e2e.poison.numbers";
    /** Orders one of which its handler always rejects; its dead letters are acknowledged. */
    static final String DOOMED = "e2e.doomed";
    /** The same, with a dead-letter producer that cannot publish. */
    static final String STUCK = "e2e.stuck";

    private PoisonInterfaces() {
    }

    @TracedConsumer
    interface Numbers {
        @Topic(NUMBERS)
        void onNumber(Integer number);
    }

    @TracedPublisher
    interface OrderEvents {
        @Topic(DOOMED)
        CompletableFuture<RecordMetadata> doomed(@Key String id, String text, @Header("tenant") String tenant);

        @Topic(STUCK)
        CompletableFuture<RecordMetadata> stuck(@Key String id, String text, @Header("tenant") String tenant);
    }

    @TracedConsumer
    interface DoomedOrders {
        @Topic(DOOMED)
        void onOrder(@Key String id, String text, @Header("tenant") String tenant) throws RejectedException;
    }

    @TracedConsumer
    interface StuckOrders {
        @Topic(STUCK)
        void onOrder(@Key String id, String text, @Header("tenant") String tenant) throws RejectedException;
    }
}
