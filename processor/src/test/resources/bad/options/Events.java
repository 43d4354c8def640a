package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

/** A valid interface: what is wrong in these cases is a processor option. */
@TracedPublisher
public interface Events {

    @Topic("events")
    void sent(String event);
}
