package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;

@TracedPublisher
public interface Events {

    @Topic("events")
    CompletableFuture<String> sent(String event);
}
