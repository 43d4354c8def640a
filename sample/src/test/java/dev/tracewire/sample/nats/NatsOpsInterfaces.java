package dev.tracewire.sample.nats;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;

/** The NATS interfaces of the operations tests: metrics, propagation health, span details. */
final class NatsOpsInterfaces {

    static final String METERED = "ops.nats.metered";
    static final String HEALTH = "ops.nats.health";
    static final String DETAILS = "ops.nats.details";
    static final String ASKED = "ops.nats.asked";

    private NatsOpsInterfaces() {
    }

    @TracedPublisher
    interface MeteredPublisher {
        @Subject(METERED)
        void publish(String text);
    }

    @TracedConsumer(group = "ops-nats-metered")
    interface MeteredHandler {
        @Subject(METERED)
        void onText(String text);
    }

    @TracedConsumer
    interface HealthHandler {
        @Subject(HEALTH)
        void onText(String text);
    }

    @TracedPublisher
    interface DetailedPublisher {
        @Subject(DETAILS)
        void placed(String order, @Header("tenant") @SpanAttribute("order.tenant") String tenant,
                @Header("secret") String secret, @SpanAttribute("order.priority") long priority,
                @SpanAttribute("order.weight") Float weight);

        @Subject(ASKED)
        String ask(String question, @Header("tenant") @SpanAttribute("order.tenant") String tenant,
                @SpanAttribute("order.attempt") short attempt);
    }

    @TracedConsumer(group = "ops-nats-details")
    interface DetailedHandler {
        @Subject(DETAILS)
        void onPlaced(String order, @Header("tenant") @SpanAttribute("order.tenant") String tenant);

        @Subject(ASKED)
        String answer(String question, @Header("tenant") @SpanAttribute("order.tenant") String tenant);
    }
}
