package dev.tracewire.sample.nats;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.List;

/** JetStream batch methods: a consumer method whose payload is a {@code List<T>} takes fetched batches. */
final class NatsBatchInterfaces {

    static final String JOBS = "batch.jobs";
    static final String JOBS_STREAM = "BATCH_JOBS";
    static final String FLAKY = "batch.flaky";
    static final String FLAKY_STREAM = "BATCH_FLAKY";
    static final String DOOMED = "batch.doomed";
    static final String DOOMED_STREAM = "BATCH_DOOMED";
    static final String HALT = "batch.halt";
    static final String HALT_STREAM = "BATCH_HALT";

    private NatsBatchInterfaces() {
    }

    record Job(String id, int cost) {
    }

    @TracedPublisher
    interface Jobs {
        @Subject(JOBS)
        PublishAck queued(Job job);

        @Subject(FLAKY)
        PublishAck queuedFlaky(Job job);

        @Subject(DOOMED)
        PublishAck queuedDoomed(Job job);

        @Subject(HALT)
        PublishAck queuedHalt(Job job);
    }

    // README: jetstream batch
    @TracedConsumer(group = "batch-workers")
    interface Workers {
        @Subject(value = JOBS, stream = JOBS_STREAM)
        void onJobs(List<Job> jobs);             // up to NatsOptions.batchSize messages fetched from the stream
    }
    // README: end

    @TracedConsumer(group = "batch-flaky-workers")
    interface FlakyWorkers {
        @Subject(value = FLAKY, stream = FLAKY_STREAM)
        void onJobs(List<Job> jobs);
    }

    @TracedConsumer(group = "batch-doomed-workers")
    interface DoomedWorkers {
        @Subject(value = DOOMED, stream = DOOMED_STREAM)
        void onJobs(List<Job> jobs);
    }

    @TracedConsumer(group = "batch-halting-workers")
    interface HaltingWorkers {
        @Subject(value = HALT, stream = HALT_STREAM)
        void onJobs(List<Job> jobs);
    }
}
