package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What {@link LibraryInstrumentationTest} sends to and receives from OpenTelemetry's library instrumentation. */
final class LibraryInterfaces {

    static final String TO_TRACEWIRE = "interop.library.in";
    static final String FROM_TRACEWIRE = "interop.library.out";

    private LibraryInterfaces() {
    }

    @TracedPublisher
    interface KafkaOut {
        @Topic(FROM_TRACEWIRE)
        RecordMetadata send(@Key String key, String text);
    }

    @TracedConsumer(group = "interop-library")
    interface KafkaIn {
        @Topic(TO_TRACEWIRE)
        void onRecord(@Key String key, String text);
    }

    @TracedPublisher
    interface NatsOut {
        @Subject(FROM_TRACEWIRE)
        void publish(String text);
    }

    @TracedConsumer
    interface NatsIn {
        @Subject(TO_TRACEWIRE)
        void onMessage(String text);
    }
}
