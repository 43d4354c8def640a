package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "audit")
public interface Handler {

    @Topic("events")
    void onEvent(String event);

    @Topic("events")
    void onEventAgain(String event);
}
