package dev.tracewire.benchmarks.nats;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;

/**
 * The NATS consumer of {@link NatsBenchHandler} on a subject of three tokens, the usual shape, to
 * show what {@code handle(message)} costs per token of the subject.
 */
@TracedConsumer
public interface NatsDottedHandler {

    @Subject("orders.eu.placed")
    void onMessage(byte[] payload, @Header("h") String h);
}
