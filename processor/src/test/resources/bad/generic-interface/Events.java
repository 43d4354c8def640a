package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events<T> {

    @Topic("events")
    void sent(T event);
}
