package dev.tracewire.sample.nats;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.nats.NatsInterfaces.JobRejectedException;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import dev.tracewire.sample.nats.NatsInterfaces.Strict;
import io.nats.client.api.PublishAck;

/**
 * The NATS interfaces of the reliability tests: payloads their codec cannot decode, handlers that
 * keep failing until their messages are dead-lettered, and payloads that carry the trace context.
 */
final class NatsReliabilityInterfaces {

    static final String POISON_STREAM = "E2E_POISON";
    static final String POISON_JOBS = "e2e.poison.jobs";
    static final String DOOMED_STREAM = "E2E_DOOMED";
    static final String DOOMED_JOBS = "e2e.doomed.jobs";
    static final String CARRIED_QUOTES = "e2e.carried.quotes";
    static final String CARRIED_TEXT = "e2e.carried.text";

    private NatsReliabilityInterfaces() {
    }

    /** Decoded by a codec that refuses payloads starting with "bad" ({@code NatsDecodeFailureTest.StrictCodec}). */
    @TracedConsumer(group = "e2e-poison")
    interface PoisonJobs {
        @Subject(value = POISON_JOBS, stream = POISON_STREAM)
        void onJob(Strict job);
    }

    @TracedPublisher
    interface DoomedJobsPublisher {
        @Subject(value = DOOMED_JOBS, stream = DOOMED_STREAM)
        PublishAck job(String job, @Header("tenant") String tenant);
    }

    @TracedConsumer(group = "e2e-doomed")
    interface DoomedJobs {
        @Subject(value = DOOMED_JOBS, stream = DOOMED_STREAM)
        void onJob(String job, @Header("tenant") String tenant) throws JobRejectedException;
    }

    @TracedPublisher
    interface CarrierPublisher {
        @Subject(CARRIED_QUOTES)
        void quote(Quote quote);

        @Subject(CARRIED_TEXT)
        void text(String json);
    }

    /** Quotes are decoded strictly: a context field left in the payload would fail them. */
    @TracedConsumer
    interface CarrierConsumer {
        @Subject(CARRIED_QUOTES)
        void onQuote(Quote quote);

        @Subject(CARRIED_TEXT)
        void onText(String json);
    }
}
