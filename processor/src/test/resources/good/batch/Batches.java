package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

public final class Batches {

    private Batches() {
    }

    public record Job(String id) {
    }

    @TracedConsumer(group = "ledger")
    public interface Ledger {
        @Topic("payments")
        void onPayments(List<String> payments) throws Exception;

        @Topic("refunds")
        void onRefund(@Key String refundId, String refund);
    }

    @TracedConsumer(group = "workers")
    public interface Workers {
        @Subject(value = "jobs.queued", stream = "JOBS")
        void onJobs(List<Job> jobs);

        @Subject("jobs.cancelled")
        void onCancelled(String jobId);
    }
}
