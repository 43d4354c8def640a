package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher(componentModel = "guice")
public interface Events {

    @Topic("events")
    void sent(String event);
}
