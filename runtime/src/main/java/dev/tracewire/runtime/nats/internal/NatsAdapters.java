package dev.tracewire.runtime.nats.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_DELIVERY_COUNT;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_SEQUENCE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_STREAM;

import dev.tracewire.runtime.internal.ProcessAdapter;
import dev.tracewire.runtime.internal.SendAdapter;
import io.nats.client.Message;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.List;
import java.util.Set;

/** What NATS tells the shared span lifecycle: message headers as carriers, and the attributes of messages. */
final class NatsAdapters {

    static final String SYSTEM = "nats";

    private NatsAdapters() {
    }

    /**
     * Publishing a message or a request: its body size at start (on request); a JetStream
     * acknowledgement's stream and sequence (a reply is the responder's message, described by its own
     * process span).
     *
     * @param <A> what the caller gets back: nothing, a JetStream acknowledgement, or a reply
     */
    static final class Publish<A> implements SendAdapter<Outgoing, A> {

        private final boolean captureBodySize;

        Publish(boolean captureBodySize) {
            this.captureBodySize = captureBodySize;
        }

        @Override
        public void set(Outgoing message, String key, String value) {
            if (message != null) {
                message.setHeader(key, value);
            }
        }

        @Override
        public void addStartAttributes(SpanBuilder span, Outgoing message) {
            if (captureBodySize) {
                span.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, (long) message.body().length);
            }
        }

        @Override
        public String header(Outgoing message, String name) {
            return message.header(name);
        }

        @Override
        public void addAckAttributes(Span span, A ack) {
            if (ack instanceof PublishAck jetStream) {
                span.setAttribute(MESSAGING_NATS_STREAM, jetStream.getStream());
                span.setAttribute(MESSAGING_NATS_SEQUENCE, jetStream.getSeqno());
            }
        }
    }

    /**
     * Processing a message: the subject it came on (for wildcard subscriptions), its body size (on
     * request) and, from JetStream, its stream, sequence and delivery count.
     */
    static final class Process implements ProcessAdapter<Message> {

        private final boolean wildcard;
        private final boolean captureBodySize;

        Process(boolean wildcard, boolean captureBodySize) {
            this.wildcard = wildcard;
            this.captureBodySize = captureBodySize;
        }

        @Override
        public Iterable<String> keys(Message message) {
            Headers headers = message == null || !message.hasHeaders() ? null : message.getHeaders();
            return headers == null ? List.of() : Set.copyOf(headers.keySet());
        }

        @Override
        public String get(Message message, String key) {
            return message == null || !message.hasHeaders() ? null : message.getHeaders().getLast(key);
        }

        @Override
        public void addStartAttributes(SpanBuilder span, Message message) {
            if (wildcard) {
                span.setAttribute(MESSAGING_DESTINATION_NAME, message.getSubject());
            }
            if (captureBodySize) {
                byte[] data = message.getData();
                span.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, data == null ? 0L : data.length);
            }
            if (message.isJetStream()) {
                NatsJetStreamMetaData metaData = message.metaData();
                span.setAttribute(MESSAGING_NATS_STREAM, metaData.getStream())
                        .setAttribute(MESSAGING_NATS_SEQUENCE, metaData.streamSequence())
                        .setAttribute(MESSAGING_NATS_DELIVERY_COUNT, metaData.deliveredCount());
            }
        }

        /** A batch's link to a JetStream message: its stream and stream sequence. */
        @Override
        public Attributes linkAttributes(Message message) {
            if (!message.isJetStream()) {
                return Attributes.empty();
            }
            NatsJetStreamMetaData metaData = message.metaData();
            return Attributes.of(MESSAGING_NATS_STREAM, metaData.getStream(), MESSAGING_NATS_SEQUENCE,
                    metaData.streamSequence());
        }
    }
}
