package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Subject("events.sent")
    void sent(String event);
}
