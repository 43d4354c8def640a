package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.PayloadCarrier;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.Endpoint;
import dev.tracewire.runtime.internal.JavaAgent;
import dev.tracewire.runtime.internal.Propagation;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.Telemetry;
import dev.tracewire.runtime.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.ServerInfo;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The NATS side of one generated publisher: the user's connection, what it is connected to, the
 * telemetry and the codecs, shared by the sender of each of its methods.
 */
public final class NatsPublisher {

    /** The agent's names for its NATS client instrumentation, in its order. */
    static final List<String> AGENT_INSTRUMENTATION_NAMES = List.of("nats", "nats-2.17");

    final Connection connection;
    final Duration requestTimeout;
    /** The payload carrier to embed the context in, or {@code null} when publishers do not embed it. */
    final PayloadCarrier embedIn;
    private final NatsOptions natsOptions;
    private final Telemetry telemetry;
    /**
     * The telemetry of core publishes and requests: off where OpenTelemetry's Java agent instruments
     * the NATS client, whose PRODUCER span is then their only one (it does not instrument JetStream).
     */
    private final Telemetry coreTelemetry;
    private final Endpoint endpoint;
    private final boolean captureBodySize;
    private JetStream jetStream;

    public NatsPublisher(Connection connection, TracewireOptions options) {
        this.connection = Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(options, "options");
        this.natsOptions = NatsOptions.of(options);
        this.requestTimeout = natsOptions.requestTimeout();
        this.embedIn = options.payloadCarrier().embedsOnPublish() ? options.payloadCarrier() : null;
        this.telemetry = Telemetry.of(options);
        this.coreTelemetry = JavaAgent.instruments(natsOptions.agentInstrumentation(), AGENT_INSTRUMENTATION_NAMES)
                ? Telemetry.of(options.toBuilder().openTelemetry(OpenTelemetry.noop()).build())
                : telemetry;
        this.endpoint = endpoint(connection);
        this.captureBodySize = options.captureBodySize();
    }

    /** The sender of one method publishing {@code payloadType} to {@code subject}. */
    public <T> NatsSender<T> sender(String subject, Class<T> payloadType) {
        return sender(subject, payloadType, Propagation.PROPAGATE);
    }

    /** As {@link #sender(String, Class)}, for a method with another propagation policy. */
    public <T> NatsSender<T> sender(String subject, Class<T> payloadType, Propagation propagation) {
        return new NatsSender<>(this, operation(telemetry, "publish", subject, propagation),
                operation(coreTelemetry, "publish", subject, propagation), natsOptions.codecFor(payloadType));
    }

    /** The sender of one method that sends no payload. */
    public NatsSender<Void> emptySender(String subject) {
        return emptySender(subject, Propagation.PROPAGATE);
    }

    /** As {@link #emptySender(String)}, for a method with another propagation policy. */
    public NatsSender<Void> emptySender(String subject, Propagation propagation) {
        return new NatsSender<>(this, operation(telemetry, "publish", subject, propagation),
                operation(coreTelemetry, "publish", subject, propagation), null);
    }

    /** The requester of one method sending {@code requestType} and expecting {@code replyType}. */
    public <T, R> NatsRequester<T, R> requester(String subject, Class<T> requestType, Class<R> replyType) {
        return requester(subject, requestType, replyType, Propagation.PROPAGATE);
    }

    /** As {@link #requester(String, Class, Class)}, for a method with another propagation policy. */
    public <T, R> NatsRequester<T, R> requester(String subject, Class<T> requestType, Class<R> replyType,
            Propagation propagation) {
        Codec<T> requestCodec = requestType == Void.class ? null : natsOptions.codecFor(requestType);
        return new NatsRequester<>(this, operation(coreTelemetry, "request", subject, propagation), requestCodec,
                natsOptions.codecFor(replyType));
    }

    private <A> SendOperation<Outgoing, A> operation(Telemetry telemetry, String operationName, String subject,
            Propagation propagation) {
        return new SendOperation<>(telemetry, NatsAdapters.SYSTEM, operationName, subject, endpoint,
                new NatsAdapters.Publish<>(captureBodySize), propagation);
    }

    synchronized JetStream jetStream() {
        if (jetStream == null) {
            try {
                jetStream = connection.jetStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return jetStream;
    }

    /** The server a connection is connected to, and its client id, read once. */
    static Endpoint endpoint(Connection connection) {
        ServerInfo info = connection.getServerInfo();
        String clientId = info == null ? null : Integer.toString(info.getClientId());
        return Endpoint.parse(connection.getConnectedUrl(), clientId).orElse(Endpoint.UNKNOWN.withClientId(clientId));
    }
}
