package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "audit")
public interface Handler {

    @Topic("events")
    boolean onEvent(String event);
}
