package dev.tracewire.sample.inventory;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.Brokers;
import io.nats.client.Connection;
import io.opentelemetry.api.OpenTelemetry;

/** The inventory service, wired by hand: a NATS responder in queue group {@code inventory}. */
public final class InventoryService implements AutoCloseable {

    private final Connection connection;
    private final Subscription subscription;

    private InventoryService(Connection connection, Subscription subscription) {
        this.connection = connection;
        this.subscription = subscription;
    }

    /** Starts answering requests, traced with {@code openTelemetry} (the service's own SDK). */
    public static InventoryService start(Brokers brokers, OpenTelemetry openTelemetry) {
        TracewireOptions options = TracewireOptions.builder().openTelemetry(openTelemetry).build();
        Connection connection = brokers.connectNats("inventory");
        try {
            return new InventoryService(connection, new TracedInventoryDesk(new Stockroom(), options).start(connection));
        } catch (RuntimeException e) {
            Brokers.close(connection);
            throw e;
        }
    }

    /** Drains the subscription, then closes the connection. */
    @Override
    public void close() {
        try {
            subscription.close();
        } finally {
            Brokers.close(connection);
        }
    }
}
