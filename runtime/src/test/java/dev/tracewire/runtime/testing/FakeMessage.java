package dev.tracewire.runtime.testing;

import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A received NATS message without a server: it belongs to a connection (so that a responder can
 * reply on it) and, when it comes from a JetStream stream, carries the stream's metadata in its
 * reply subject as the server sends it. It records how it was acknowledged, core messages too
 * (which jnats ignores), so that a test sees an acknowledgement that should not have happened.
 */
public final class FakeMessage extends NatsMessage {

    private final Connection connection;
    private final boolean fromStream;
    private final List<String> acknowledgements = new CopyOnWriteArrayList<>();

    private FakeMessage(Connection connection, String subject, String replyTo, Headers headers, byte[] data,
            boolean fromStream) {
        super(subject, replyTo, headers, data);
        this.connection = connection;
        this.fromStream = fromStream;
    }

    /** A core NATS message received on {@code subject}; {@code headers} may be {@code null}. */
    public static FakeMessage core(Connection connection, String subject, Headers headers, byte[] data) {
        return new FakeMessage(connection, subject, null, headers, data, false);
    }

    /** A core NATS request received on {@code subject}, to be answered on {@code replyTo}. */
    public static FakeMessage request(Connection connection, String subject, String replyTo, Headers headers,
            byte[] data) {
        return new FakeMessage(connection, subject, replyTo, headers, data, false);
    }

    /**
     * A message of JetStream stream {@code stream} at {@code sequence}, delivered for the
     * {@code delivered}-th time to consumer {@code consumer}.
     */
    public static FakeMessage fromStream(Connection connection, String subject, Headers headers, byte[] data,
            String stream, String consumer, long sequence, long delivered) {
        String ackSubject = "$JS.ACK." + stream + "." + consumer + "." + delivered + "." + sequence + "." + sequence
                + ".1700000000000000000.0";
        return new FakeMessage(connection, subject, ackSubject, headers, data, true);
    }

    /** How the message was acknowledged, in order: {@code ack}, {@code nak}, {@code nak 500 ms}, {@code term}. */
    public List<String> acknowledgements() {
        return List.copyOf(acknowledgements);
    }

    @Override
    public Connection getConnection() {
        return connection;
    }

    @Override
    public boolean isJetStream() {
        return fromStream;
    }

    @Override
    public NatsJetStreamMetaData metaData() {
        return fromStream ? new NatsJetStreamMetaData(this) : super.metaData();
    }

    @Override
    public void ack() {
        acknowledge("ack");
    }

    @Override
    public void ackSync(Duration timeout) {
        acknowledge("ack");
    }

    @Override
    public void nak() {
        acknowledge("nak");
    }

    @Override
    public void nakWithDelay(Duration delay) {
        acknowledge("nak " + delay.toMillis() + " ms");
    }

    @Override
    public void nakWithDelay(long delayMillis) {
        acknowledge("nak " + delayMillis + " ms");
    }

    @Override
    public void inProgress() {
        acknowledge("in progress");
    }

    @Override
    public void term() {
        acknowledge("term");
    }

    private void acknowledge(String how) {
        acknowledgements.add(how);
    }
}
