package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.infra.Brokers;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * Watches the dead-letter subject as an operator's tool would: a plain NATS subscription (the
 * stream {@code DEAD_LETTERS} keeps them too) that records what each dead letter carries.
 */
final class DeadLetterWatch implements AutoCloseable {

    private final Connection connection;
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();

    private DeadLetterWatch(Connection connection) {
        this.connection = connection;
    }

    static DeadLetterWatch start(Brokers brokers) throws InterruptedException {
        Connection connection = brokers.connectNats("dead-letter-watch");
        DeadLetterWatch watch = new DeadLetterWatch(connection);
        Dispatcher dispatcher = connection.createDispatcher(watch::record);
        dispatcher.subscribe(Topology.DEAD_LETTERS);
        try {
            connection.flush(Duration.ofSeconds(10));
        } catch (TimeoutException e) {
            watch.close();
            throw new IllegalStateException("NATS did not confirm the dead-letter subscription", e);
        }
        return watch;
    }

    private void record(Message message) {
        Map<String, String> headers = new TreeMap<>();
        Headers received = message.getHeaders();
        if (received != null) {
            received.keySet().forEach(key -> headers.put(key, received.getFirst(key)));
        }
        deadLetters.add(new DeadLetter(message.getSubject(), headers));
    }

    List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    @Override
    public void close() {
        Brokers.close(connection);
    }
}
