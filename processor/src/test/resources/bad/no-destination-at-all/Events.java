package test;

import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    void placed(String order);
}
