package dev.tracewire.sample.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.LoadDriver;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link LoadDriver#MESSAGES} messages through the shared {@code nats-server}, from one generated
 * publisher shared by {@link LoadDriver#THREADS} threads to a generated consumer of two members: on
 * core NATS in a queue group, and on JetStream as a durable consumer.
 */
@ExtendWith(SharedNats.Extension.class)
class NatsLoadTest {

    static final String CORE = "e2e.load.core";
    static final String STREAM = "E2E_LOAD";
    static final String STORED = "e2e.load.stored";

    @TracedPublisher
    interface LoadPublisher {
        @Subject(CORE)
        void publish(String id);

        @Subject(STORED)
        CompletableFuture<PublishAck> store(String id);
    }

    @TracedConsumer(group = "e2e-load-core")
    interface CoreHandler {
        @Subject(CORE)
        void onMessage(String id);
    }

    @TracedConsumer(group = "e2e-load-stored")
    interface StoredHandler {
        @Subject(value = STORED, stream = STREAM)
        void onMessage(String id);
    }

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!closeables.isEmpty()) {
            closeables.pop().close();
        }
    }

    @Test
    void coreNatsInAQueueGroupOfTwo(NatsServerProcess nats) throws Exception {
        LoadDriver load = new LoadDriver(LoadDriver.MESSAGES);
        closeables.push(load::close);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(load.sdk()).build();
        Subscription first = subscribe(new TracedNatsLoadTest_CoreHandler(id -> load.handled("first", id), options)
                .start(connect(nats)));
        Subscription second = subscribe(new TracedNatsLoadTest_CoreHandler(id -> load.handled("second", id), options)
                .start(connect(nats)));
        Connection publishing = connect(nats);
        LoadPublisher publisher = new TracedNatsLoadTest_LoadPublisher(publishing, options);
        long start = System.nanoTime();

        load.publish(i -> {
            publisher.publish(LoadDriver.id(i));
            return null;
        });
        publishing.flush(Duration.ofSeconds(30));
        load.awaitHandled(Duration.ofSeconds(120));

        first.close();
        second.close();
        load.check("NATS core", "publish " + CORE, "process " + CORE, start, 2);
    }

    @Test
    void jetStreamWithADurableConsumerOfTwo(NatsServerProcess nats) throws Exception {
        LoadDriver load = new LoadDriver(LoadDriver.MESSAGES);
        closeables.push(load::close);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(load.sdk()).build();
        Connection publishing = connect(nats);
        createStream(publishing, nats);
        Subscription first = subscribe(new TracedNatsLoadTest_StoredHandler(id -> load.handled("first", id), options)
                .start(connect(nats)));
        Subscription second = subscribe(new TracedNatsLoadTest_StoredHandler(id -> load.handled("second", id),
                options).start(connect(nats)));
        LoadPublisher publisher = new TracedNatsLoadTest_LoadPublisher(publishing, options);
        long start = System.nanoTime();

        load.publish(i -> publisher.store(LoadDriver.id(i)));
        load.awaitHandled(Duration.ofSeconds(120));

        first.close();
        second.close();
        assertThat(first.failure()).isEmpty();
        assertThat(second.failure()).isEmpty();
        load.check("JetStream", "publish " + STORED, "process " + STORED, start, 2);
    }

    private Connection connect(NatsServerProcess nats) throws Exception {
        Connection connection = Nats.connect(nats.url());
        closeables.push(connection::close);
        return connection;
    }

    private Subscription subscribe(Subscription subscription) {
        closeables.push(subscription);
        return subscription;
    }

    private void createStream(Connection connection, NatsServerProcess nats) throws Exception {
        JetStreamManagement management = connection.jetStreamManagement();
        try {
            management.deleteStream(STREAM);
        } catch (JetStreamApiException notThere) {
            // a fresh server has none
        }
        management.addStream(StreamConfiguration.builder().name(STREAM).subjects(STORED)
                .storageType(StorageType.Memory).build());
        closeables.push(() -> {
            Connection cleaner = Nats.connect(nats.url());
            try {
                cleaner.jetStreamManagement().deleteStream(STREAM);
            } finally {
                cleaner.close();
            }
        });
    }
}
