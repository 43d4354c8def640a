package test;

import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public @interface Events {

    String value();
}
