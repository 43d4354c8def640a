package test;

import dev.tracewire.annotations.Propagation;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

@TracedConsumer(group = "workers", propagation = Propagation.HEADERS_ONLY)
public interface Handler {

    @Subject("jobs.single")
    void onJob(String job);

    @Subject(value = "jobs.batched", stream = "JOBS")
    void onJobs(List<String> jobs);
}
