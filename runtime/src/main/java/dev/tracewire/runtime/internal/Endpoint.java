package dev.tracewire.runtime.internal;

import io.opentelemetry.api.common.AttributesBuilder;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * The broker a client talks to, as {@code server.address} and {@code server.port}, and the client's
 * {@code messaging.client.id}; each part is optional. Each system finds it once per client.
 *
 * @param host the broker's host name or address, or {@code null}
 * @param port the broker's port, or {@code -1}
 * @param clientId the client's id, or {@code null}
 */
public record Endpoint(String host, int port, String clientId) {

    /** Nothing known. */
    public static final Endpoint UNKNOWN = new Endpoint(null, -1, null);

    /** The endpoint of {@code host:port} (an IPv6 host in brackets), or of a URL such as {@code nats://host:port}. */
    public static Optional<Endpoint> parse(String address, String clientId) {
        if (address == null || address.isBlank()) {
            return Optional.empty();
        }
        String url = address.contains("://") ? address.strip() : "tcp://" + address.strip();
        try {
            URI uri = new URI(url);
            return uri.getHost() == null ? Optional.empty() : Optional.of(new Endpoint(uri.getHost(), uri.getPort(), clientId));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    public Endpoint withClientId(String id) {
        return new Endpoint(host, port, id);
    }

    /** Adds {@code server.address} and {@code server.port}, as far as known (metrics carry these). */
    void addServerTo(AttributesBuilder attributes) {
        if (host != null) {
            attributes.put(MessagingAttributes.SERVER_ADDRESS, host);
        }
        if (port > 0) {
            attributes.put(MessagingAttributes.SERVER_PORT, (long) port);
        }
    }

    /** Adds {@code messaging.client.id}, when known (spans only: metrics leave it out). */
    void addClientIdTo(AttributesBuilder attributes) {
        if (clientId != null) {
            attributes.put(MessagingAttributes.MESSAGING_CLIENT_ID, clientId);
        }
    }
}
