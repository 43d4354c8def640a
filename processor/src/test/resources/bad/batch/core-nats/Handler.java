package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

@TracedConsumer(group = "workers")
public interface Handler {

    @Subject("jobs.queued")
    void onJobs(List<String> jobs);
}
