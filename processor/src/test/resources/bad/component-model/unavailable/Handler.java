package test;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "audit", componentModel = ComponentModel.SPRING)
public interface Handler {

    @Topic("events")
    void onEvent(String event);
}
