package dev.tracewire.benchmarks.nats;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;

/** The consumer the NATS dispatch benchmark measures; tracewire generates {@code TracedNatsBenchHandler}. */
@TracedConsumer
public interface NatsBenchHandler {

    @Subject("bench")
    void onMessage(byte[] payload, @Header("h") String h);
}
