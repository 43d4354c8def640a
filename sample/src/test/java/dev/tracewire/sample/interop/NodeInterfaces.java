package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What {@link NodePeerTest} exchanges with the Node peer ({@code sample/node-peer/peer.js}, which
 * gets these names as its argument). NATS payloads are JSON notes; {@code run} tells a run's
 * messages apart on the shared broker and server.
 */
final class NodeInterfaces {

    static final String KAFKA_TO_JAVA = "interop.node.kafka.in";
    static final String KAFKA_FROM_JAVA = "interop.node.kafka.out";
    static final String NATS_HEADERS_TO_JAVA = "interop.node.headers.in";
    static final String NATS_HEADERS_FROM_JAVA = "interop.node.headers.out";
    static final String NATS_PAYLOAD_TO_JAVA = "interop.node.payload.in";
    static final String NATS_PAYLOAD_FROM_JAVA = "interop.node.payload.out";

    private NodeInterfaces() {
    }

    record Note(String run, String text) {
    }

    @TracedPublisher
    interface KafkaOut {
        @Topic(KAFKA_FROM_JAVA)
        RecordMetadata send(@Key String key, String text);
    }

    @TracedConsumer
    interface KafkaIn {
        @Topic(KAFKA_TO_JAVA)
        void onRecord(@Key String key, String text);
    }

    @TracedPublisher
    interface NatsOut {
        @Subject(NATS_HEADERS_FROM_JAVA)
        void withHeaders(Note note);

        @Subject(NATS_PAYLOAD_FROM_JAVA)
        void withPayloadField(Note note);
    }

    @TracedConsumer
    interface NatsIn {
        @Subject(NATS_HEADERS_TO_JAVA)
        void fromHeaders(Note note);

        @Subject(NATS_PAYLOAD_TO_JAVA)
        void fromPayloadField(Note note);
    }
}
