package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

/** Valid; the test makes the processor throw while processing it. */
@TracedPublisher
public interface Boom {

    @Topic("booms")
    void exploded(String event);
}
