package test;

import dev.tracewire.annotations.TracedPublisher;

@TracedPublisher
public record Events(String topic) {
}
