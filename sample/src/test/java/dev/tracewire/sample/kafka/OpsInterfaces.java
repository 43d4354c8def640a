package dev.tracewire.sample.kafka;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The interfaces of the operations tests: metrics, propagation health, log correlation, span details. */
final class OpsInterfaces {

    static final String METERED = "ops.metered";
    static final String UNMETERED = "ops.unmetered";
    static final String HEALTH = "ops.health";
    static final String DETAILS = "ops.details";
    static final String CAPTURED = "ops.captured";
    static final String LOGGED = "ops.logged";
    static final String UNLOGGED = "ops.unlogged";

    private OpsInterfaces() {
    }

    @TracedPublisher
    interface MeteredEvents {
        @Topic(METERED)
        CompletableFuture<RecordMetadata> send(@Key String key, String text);

        @Topic(UNMETERED)
        RecordMetadata sendUnmetered(@Key String key, String text);
    }

    @TracedConsumer(group = "ops-metered")
    interface MeteredHandler {
        @Topic(METERED)
        void onMetered(@Key String key, String text) throws RejectedException;
    }

    @TracedConsumer(group = "ops-unmetered")
    interface UnmeteredHandler {
        @Topic(UNMETERED)
        void onUnmetered(@Key String key, String text);
    }

    @TracedConsumer(group = "ops-health")
    interface HealthHandler {
        @Topic(HEALTH)
        void onRecord(@Key String key, String text);
    }

    @TracedPublisher
    interface DetailedEvents {
        @Topic(DETAILS)
        RecordMetadata placed(@Key @SpanAttribute("order.id") String orderId, String order,
                @Header("tenant") @SpanAttribute("order.tenant") String tenant, @Header("secret") String secret,
                @SpanAttribute("order.priority") int priority, @SpanAttribute("order.express") Boolean express,
                @SpanAttribute("order.amount") double amount);

        @Topic(CAPTURED)
        RecordMetadata captured(@Key String orderId, String order, @Header("tenant") String tenant,
                @Header("secret") String secret);
    }

    @TracedConsumer(group = "ops-details")
    interface DetailedHandler {
        @Topic(DETAILS)
        void onPlaced(@Key @SpanAttribute("order.id") String orderId, String order,
                @Header("tenant") @SpanAttribute("order.tenant") String tenant);
    }

    @TracedConsumer(group = "ops-captured")
    interface CapturedHandler {
        @Topic(CAPTURED)
        void onCaptured(@Key String orderId, String order);
    }

    @TracedConsumer(group = "ops-logged")
    interface LoggedHandler {
        @Topic(LOGGED)
        void onRecord(@Key String key, String text) throws RejectedException;
    }

    @TracedConsumer(group = "ops-unlogged")
    interface UnloggedHandler {
        @Topic(UNLOGGED)
        void onRecord(@Key String key, String text);
    }
}
