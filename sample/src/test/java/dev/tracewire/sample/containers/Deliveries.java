package dev.tracewire.sample.containers;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the handlers of the shipping flow saw, for the tests to read: each shipment the packer
 * handled and each parcel the courier handled, with the span current in the handler.
 */
public final class Deliveries {

    /** One handled message and the span its handler ran in. */
    public record Handled(String what, SpanContext span) {
    }

    private final BlockingQueue<Handled> shipments = new LinkedBlockingQueue<>();
    private final BlockingQueue<Handled> parcels = new LinkedBlockingQueue<>();

    public void shipment(String shipment) {
        shipments.add(new Handled(shipment, Span.current().getSpanContext()));
    }

    public void parcel(String parcel) {
        parcels.add(new Handled(parcel, Span.current().getSpanContext()));
    }

    public Handled nextShipment() throws InterruptedException {
        return take(shipments, "shipment");
    }

    public Handled nextParcel() throws InterruptedException {
        return take(parcels, "parcel");
    }

    private static Handled take(BlockingQueue<Handled> queue, String what) throws InterruptedException {
        Handled handled = queue.poll(30, TimeUnit.SECONDS);
        if (handled == null) {
            throw new AssertionError("no " + what + " was handled within 30 s");
        }
        return handled;
    }
}
