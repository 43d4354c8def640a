package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What the child JVM beside OpenTelemetry's Java agent publishes and consumes. Each run keys its
 * messages with an id of its own, so that runs sharing the topic tell their messages apart; the
 * consumer group comes from the consumer (one per run).
 */
final class AgentInterfaces {

    static final String TOPIC = "interop.agent";
    static final String OWN_LOOP_TOPIC = "interop.agent.own-loop";
    static final String SUBJECT = "interop.agent";
    static final String STREAM = "INTEROP_AGENT";
    static final String STREAM_SUBJECT = "interop.agent.stored";

    private AgentInterfaces() {
    }

    @TracedPublisher
    interface KafkaGreetings {
        @Topic(TOPIC)
        CompletableFuture<RecordMetadata> greet(@Key String key, String text);

        @Topic(OWN_LOOP_TOPIC)
        CompletableFuture<RecordMetadata> greetOwnLoop(@Key String key, String text);
    }

    /** Handled one record at a time from a poll loop of the peer's own. */
    @TracedConsumer
    interface OwnLoopHandler {
        @Topic(OWN_LOOP_TOPIC)
        void onGreeting(@Key String key, String text);
    }

    @TracedConsumer
    interface KafkaGreetingHandler {
        @Topic(TOPIC)
        void onGreeting(@Key String key, String text);
    }

    @TracedPublisher
    interface NatsGreetings {
        @Subject(SUBJECT)
        void greet(String text);
    }

    @TracedConsumer
    interface NatsGreetingHandler {
        @Subject(SUBJECT)
        void onGreeting(String text);
    }

    @TracedPublisher
    interface StoredGreetings {
        @Subject(value = STREAM_SUBJECT, stream = STREAM)
        PublishAck greet(String text);
    }

    /** A durable JetStream consumer that runs share: each gets what came after the last one's acknowledgements. */
    @TracedConsumer(group = "interop-agent")
    interface StoredGreetingHandler {
        @Subject(value = STREAM_SUBJECT, stream = STREAM)
        void onGreeting(String text);
    }
}
