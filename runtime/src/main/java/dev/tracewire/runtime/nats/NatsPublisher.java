package dev.tracewire.runtime.nats;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.MessagingAttributes;
import dev.tracewire.runtime.internal.Tracing;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.api.ServerInfo;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * The tracing side of one generated NATS publisher: the user's connection, the tracer, the
 * propagator and the options, shared by the sender of each method. Called by generated code.
 */
public final class NatsPublisher {

    final Connection connection;
    final Tracer tracer;
    final TextMapPropagator propagator;
    final TracewireOptions options;
    final NatsEndpoint endpoint;
    /** False for a no-op {@code OpenTelemetry}: senders then skip spans and injection altogether. */
    final boolean tracing;
    private JetStream jetStream;

    public NatsPublisher(Connection connection, TracewireOptions options) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.options = Objects.requireNonNull(options, "options");
        this.tracer = Tracing.tracer(options.openTelemetry());
        this.propagator = options.openTelemetry().getPropagators().getTextMapPropagator();
        this.endpoint = NatsEndpoint.of(connection);
        this.tracing = !Tracing.isNoop(options.openTelemetry());
    }

    /** The sender of one method publishing {@code payloadType} to {@code subject}. */
    public <T> NatsSender<T> sender(String subject, Class<T> payloadType) {
        return new NatsSender<>(this, subject, options.codecFor(payloadType));
    }

    /** The sender of one method that sends no payload. */
    public NatsSender<Void> emptySender(String subject) {
        return new NatsSender<>(this, subject, null);
    }

    /** The requester of one method sending {@code requestType} and expecting {@code replyType}. */
    public <T, R> NatsRequester<T, R> requester(String subject, Class<T> requestType, Class<R> replyType) {
        Codec<T> requestCodec = requestType == Void.class ? null : options.codecFor(requestType);
        return new NatsRequester<>(new NatsSender<>(this, subject, requestCodec, "request"),
                options.codecFor(replyType));
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
    record NatsEndpoint(String host, int port, String clientId) {
        static NatsEndpoint of(Connection connection) {
            ServerInfo info = connection.getServerInfo();
            String clientId = info == null ? null : Integer.toString(info.getClientId());
            String url = connection.getConnectedUrl();
            if (url == null) {
                return new NatsEndpoint(null, -1, clientId);
            }
            try {
                URI uri = new URI(url);
                return new NatsEndpoint(uri.getHost(), uri.getPort(), clientId);
            } catch (URISyntaxException e) {
                return new NatsEndpoint(null, -1, clientId);
            }
        }

        void addTo(AttributesBuilder attributes) {
            if (host != null) {
                attributes.put(MessagingAttributes.SERVER_ADDRESS, host);
            }
            if (port > 0) {
                attributes.put(MessagingAttributes.SERVER_PORT, (long) port);
            }
            if (clientId != null) {
                attributes.put(MessagingAttributes.MESSAGING_CLIENT_ID, clientId);
            }
        }
    }
}
