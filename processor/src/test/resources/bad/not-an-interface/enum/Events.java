package test;

import dev.tracewire.annotations.TracedConsumer;

@TracedConsumer(group = "audit")
public enum Events {
    SENT
}
