package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.internal.DeadLetterFacts;
import dev.tracewire.runtime.internal.Endpoint;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.Telemetry;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * Publishes a failed message to its dead-letter subject on the consumer's connection, inside a
 * PRODUCER span that is a child of the message's last failed process span and links to the context
 * the message carried; for JetStream it waits for the stream's acknowledgement, for core NATS for
 * the server to have it (a flush). The dead letter keeps the payload bytes and headers and adds the
 * failure under {@code nats_dlt-*} headers, named after Spring Kafka's {@code kafka_dlt-*} (header
 * values are one line of ASCII: no stack trace, and other characters escaped). A dead letter that
 * cannot even be built is not published, like one the server refused.
 */
final class NatsDeadLetterPublisher {

    static final String EXCEPTION_FQCN = "nats_dlt-exception-fqcn";
    static final String EXCEPTION_CAUSE_FQCN = "nats_dlt-exception-cause-fqcn";
    static final String EXCEPTION_MESSAGE = "nats_dlt-exception-message";
    static final String ORIGINAL_SUBJECT = "nats_dlt-original-subject";
    static final String ORIGINAL_STREAM = "nats_dlt-original-stream";
    static final String ORIGINAL_SEQUENCE = "nats_dlt-original-sequence";
    static final String ORIGINAL_CONSUMER_GROUP = "nats_dlt-original-consumer-group";
    static final String ATTEMPTS = "nats_dlt-attempts";

    private final NatsDeadLetters config;
    private final Connection connection;
    private final Telemetry telemetry;
    private final Endpoint endpoint;
    private final NatsAdapters.Publish<PublishAck> adapter;
    private final String group;
    private final Map<String, SendOperation<Outgoing, PublishAck>> operations = new ConcurrentHashMap<>();

    NatsDeadLetterPublisher(NatsDeadLetters config, Connection connection, Telemetry telemetry, boolean captureBodySize,
            String group) {
        this.config = config;
        this.connection = connection;
        this.telemetry = telemetry;
        this.endpoint = NatsPublisher.endpoint(connection);
        this.adapter = new NatsAdapters.Publish<>(captureBodySize);
        this.group = group;
    }

    /**
     * Publishes {@code message} as a dead letter and waits until it is safe.
     *
     * @param original the context the message carried, which the dead-letter span links to
     * @return {@code null} once it is, else why it could not be published
     */
    Throwable publish(Message message, ProcessFailure failure, int attempts, Context original) {
        String subject = config.subjectFor(message.getSubject());
        SendOperation<Outgoing, PublishAck> operation = operations.computeIfAbsent(subject,
                name -> new SendOperation<>(telemetry, NatsAdapters.SYSTEM, "publish", name, endpoint, adapter));
        Headers headers = new Headers();
        try {
            if (message.hasHeaders()) {
                message.getHeaders().forEach((name, values) -> headers.put(name, values));
            }
            addFacts(headers, message, DeadLetterFacts.of(failure.cause(), attempts, group));
        } catch (RuntimeException e) {
            return e;
        }
        Context parent = Context.root().with(Span.wrap(failure.span()));
        SpanContext link = Span.fromContext(original).getSpanContext();
        Outgoing outgoing = Outgoing.forDeadLetter(headers, message.getData() == null ? new byte[0] : message.getData(),
                parent);
        outgoing.start(operation, link);
        try {
            PublishAck ack = null;
            if (config.jetStream()) {
                ack = connection.jetStream().publish(subject, outgoing.headers(), outgoing.body(),
                        PublishOptions.builder().streamTimeout(config.timeout()).build());
            } else {
                connection.publish(subject, outgoing.headers(), outgoing.body());
                connection.flush(config.timeout());
            }
            operation.end(outgoing.span(), outgoing.startNanos(), ack, null);
            return null;
        } catch (IOException | JetStreamApiException | TimeoutException | RuntimeException e) {
            operation.end(outgoing.span(), outgoing.startNanos(), null, e);
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            operation.end(outgoing.span(), outgoing.startNanos(), null, e);
            return e;
        }
    }

    private static void addFacts(Headers headers, Message message, DeadLetterFacts facts) {
        headers.put(EXCEPTION_FQCN, headerValue(facts.exceptionClass()));
        if (facts.causeClass() != null) {
            headers.put(EXCEPTION_CAUSE_FQCN, headerValue(facts.causeClass()));
        }
        headers.put(EXCEPTION_MESSAGE, headerValue(facts.exceptionMessage()));
        headers.put(ORIGINAL_SUBJECT, message.getSubject());
        if (message.isJetStream()) {
            headers.put(ORIGINAL_STREAM, message.metaData().getStream());
            headers.put(ORIGINAL_SEQUENCE, Long.toString(message.metaData().streamSequence()));
        }
        if (!facts.consumerGroup().isEmpty()) {
            headers.put(ORIGINAL_CONSUMER_GROUP, headerValue(facts.consumerGroup()));
        }
        headers.put(ATTEMPTS, Integer.toString(facts.attempts()));
    }

    /**
     * Text as a NATS header value, which holds ASCII only and ends at a line break: line breaks
     * become one space, characters outside ASCII Java's escapes (a backslash, {@code u} and four hex
     * digits), and an empty text {@code -} (jnats refuses what it cannot send instead of encoding it).
     */
    static String headerValue(String text) {
        String line = text.replaceAll("[\\r\\n]+", " ").strip();
        if (line.isEmpty()) {
            return "-";
        }
        StringBuilder value = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x80) {
                value.append(c);
            } else {
                value.append(String.format("\\u%04x", (int) c));
            }
        }
        return value.toString();
    }
}
