package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public abstract class Events {

    @Topic("events")
    public abstract void sent(String event);
}
