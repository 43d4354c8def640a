package dev.tracewire.benchmarks.nats;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;

/** The publisher the NATS publish benchmark measures; tracewire generates {@code TracedNatsBenchEvents}. */
@TracedPublisher
public interface NatsBenchEvents {

    @Subject("bench")
    void send(@Header("h") String h, byte[] payload);
}
