package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
@TracedConsumer(group = "audit")
public interface Events {

    @Topic("events")
    void sent(String event);
}
