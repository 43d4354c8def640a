package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What {@link PropagationFormatsTest} sends and receives under each propagation format. */
final class FormatInterfaces {

    static final String TOPIC = "interop.formats";
    static final String SUBJECT = "interop.formats";
    static final String REJECTED_TOPIC = "interop.formats.rejected";

    private FormatInterfaces() {
    }

    @TracedPublisher
    interface KafkaOut {
        @Topic(TOPIC)
        RecordMetadata send(@Key String key, String text);
    }

    @TracedConsumer
    interface KafkaIn {
        @Topic(TOPIC)
        void onRecord(@Key String key, String text);
    }

    /** Rejects every record: its error policy dead-letters them, headers and all. */
    @TracedConsumer
    interface KafkaRejecting {
        @Topic(REJECTED_TOPIC)
        void onRecord(@Key String key, String text);
    }

    @TracedPublisher
    interface NatsOut {
        @Subject(SUBJECT)
        void publish(String text);
    }

    @TracedConsumer
    interface NatsIn {
        @Subject(SUBJECT)
        void onMessage(String text);
    }
}
