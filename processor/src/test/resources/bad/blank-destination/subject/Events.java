package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public interface Events {

    @Subject(" ")
    void placed(String order);
}
