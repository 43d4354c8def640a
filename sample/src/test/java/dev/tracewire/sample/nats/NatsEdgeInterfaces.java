package dev.tracewire.sample.nats;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.concurrent.CompletableFuture;

/**
 * The NATS interfaces of the edge-case tests (error policies, publish failures, the user's own
 * subscription, body sizes, closing); subjects and streams of their own on the shared server.
 */
final class NatsEdgeInterfaces {

    static final String EXHAUST_STREAM = "E2E_EXHAUST";
    static final String EXHAUST_JOBS = "e2e.exhaust.jobs";
    static final String HALT_STREAM = "E2E_HALT";
    static final String HALT_JOBS = "e2e.halt.jobs";
    static final String FRAGILE = "e2e.fragile";
    static final String UNSTORED = "e2e.unstored.sync";
    static final String UNSTORED_ASYNC = "e2e.unstored.async";
    static final String OWN_PREFIX = "e2e.own.";
    static final String OWN_TEXT = "e2e.own.text";
    static final String OWN_OTHER = "e2e.own.other";
    static final String SIZED = "e2e.sized";
    static final String CLOSING = "e2e.closing";

    private NatsEdgeInterfaces() {
    }

    @TracedPublisher
    interface EdgePublisher {
        @Subject(value = EXHAUST_JOBS, stream = EXHAUST_STREAM)
        void exhaust(String job);

        @Subject(value = HALT_JOBS, stream = HALT_STREAM)
        void halt(String job);

        @Subject(FRAGILE)
        void fragile(String text);

        @Subject(UNSTORED)
        PublishAck unstored(String text);

        @Subject(UNSTORED_ASYNC)
        CompletableFuture<PublishAck> unstoredAsync(String text);

        @Subject(OWN_TEXT)
        void own(String text);

        @Subject(OWN_OTHER)
        void other(String text);

        @Subject(SIZED)
        void sized(String text);

        @Subject(CLOSING)
        void closing(String text);
    }

    @TracedConsumer(group = "e2e-exhaust")
    interface ExhaustingJobs {
        @Subject(value = EXHAUST_JOBS, stream = EXHAUST_STREAM)
        void onJob(String job);
    }

    @TracedConsumer(group = "e2e-halt")
    interface HaltingJobs {
        @Subject(value = HALT_JOBS, stream = HALT_STREAM)
        void onJob(String job);
    }

    @TracedConsumer
    interface Fragile {
        @Subject(FRAGILE)
        void onText(String text);
    }

    /** Handles only {@link #OWN_TEXT}; the user's own subscription also gets {@link #OWN_OTHER}. */
    @TracedConsumer
    interface OwnText {
        @Subject(OWN_TEXT)
        void onText(String text);
    }

    @TracedConsumer
    interface Sized {
        @Subject(SIZED)
        void onText(String text);
    }

    @TracedConsumer
    interface Closing {
        @Subject(CLOSING)
        void onText(String text);
    }
}
