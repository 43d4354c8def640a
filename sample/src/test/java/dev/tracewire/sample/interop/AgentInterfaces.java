package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What the child JVM beside OpenTelemetry's Java agent publishes and consumes. Each run keys its
 * messages with an id of its own, so that runs sharing the topic tell their messages apart; the
 * consumer group comes from the consumer (one per run).
 */
final class AgentInterfaces {

    static final String TOPIC = "interop.agent";
    static final String SUBJECT = "interop.agent";

    private AgentInterfaces() {
    }

    @TracedPublisher
    interface KafkaGreetings {
        @Topic(TOPIC)
        CompletableFuture<RecordMetadata> greet(@Key String key, String text);
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
}
