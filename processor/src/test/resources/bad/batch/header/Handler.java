package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

@TracedConsumer(group = "workers")
public interface Handler {

    @Subject(value = "jobs.queued", stream = "JOBS")
    void onJobs(List<String> jobs, @Header("tenant") String tenant);
}
