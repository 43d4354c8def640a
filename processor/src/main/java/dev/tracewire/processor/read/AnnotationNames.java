package dev.tracewire.processor.read;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;

/** The qualified names of the annotations and library types the reader recognizes. */
final class AnnotationNames {

    static final String TRACED_PUBLISHER = TracedPublisher.class.getCanonicalName();
    static final String TRACED_CONSUMER = TracedConsumer.class.getCanonicalName();
    static final String TOPIC = Topic.class.getCanonicalName();
    static final String SUBJECT = Subject.class.getCanonicalName();
    static final String KEY = Key.class.getCanonicalName();
    static final String HEADER = Header.class.getCanonicalName();

    static final String PUBLISH_ACK = "io.nats.client.api.PublishAck";
    static final String RECORD_METADATA = "org.apache.kafka.clients.producer.RecordMetadata";
    static final String COMPLETABLE_FUTURE = "java.util.concurrent.CompletableFuture";
    static final String COMPLETION_STAGE = "java.util.concurrent.CompletionStage";
    static final String FUTURE = "java.util.concurrent.Future";

    private AnnotationNames() {
    }
}
