package test;

import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    /** A default method is inherited, not generated: it leaves nothing to implement. */
    default void sent(String event) {
    }
}
