package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

public final class Outer {

    private Outer() {
    }

    @TracedPublisher
    private interface Events {

        @Topic("events")
        void sent(String event);
    }
}
