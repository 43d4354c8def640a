package dev.tracewire.sample.nats;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.concurrent.CompletableFuture;

/** The interfaces of the server restart test: JetStream jobs and core NATS news, on a server of its own. */
final class NatsFaultInterfaces {

    static final String STREAM = "FAULT_JOBS";
    static final String JOBS = "fault.jobs";
    static final String NEWS = "fault.news";

    private NatsFaultInterfaces() {
    }

    @TracedPublisher
    interface FaultPublisher {
        /** Blocks until the stream acknowledged the job; throws when it did not. */
        @Subject(value = JOBS, stream = STREAM)
        PublishAck job(String job);

        /** Completes with the stream's acknowledgement, or with the failure. */
        @Subject(value = JOBS, stream = STREAM)
        CompletableFuture<PublishAck> jobLater(String job);

        @Subject(NEWS)
        void news(String item);
    }

    @TracedConsumer(group = "fault")
    interface FaultConsumer {
        @Subject(value = JOBS, stream = STREAM)
        void onJob(String job);

        @Subject(NEWS)
        void onNews(String item);
    }
}
