package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Fine {

    @Topic("fines")
    void sent(String event);
}
