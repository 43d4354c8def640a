package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.LoadDriver;
import dev.tracewire.sample.support.SharedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link LoadDriver#MESSAGES} records through the in-process broker: one generated publisher shared by
 * {@link LoadDriver#THREADS} threads, a generated consumer group of two members.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaLoadTest {

    static final String TOPIC = "e2e.load";
    private static final String GROUP = "e2e-load";

    @TracedPublisher
    interface LoadEvents {
        @Topic(TOPIC)
        CompletableFuture<RecordMetadata> send(@Key String id, String body);
    }

    @TracedConsumer(group = GROUP)
    interface LoadHandler {
        @Topic(TOPIC)
        void onRecord(@Key String id, String body);
    }

    @Test
    void everySpanEndsOnceAndEveryProcessSpanIsTheChildOfItsSendSpan(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(TOPIC, 4);
        LoadDriver load = new LoadDriver(LoadDriver.MESSAGES);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(load.sdk()).build();
        Map<String, Object> producerConfig = kafka.producerConfig();
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        Subscription first = null;
        Subscription second = null;
        try (KafkaProducer<String, String> producer =
                        new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
                Admin admin = kafka.admin()) {
            first = member(kafka, load, "first", options);
            second = member(kafka, load, "second", options);
            awaitBothMembersAssigned(admin);
            LoadEvents events = new TracedKafkaLoadTest_LoadEvents(producer, options);
            long start = System.nanoTime();

            load.publish(i -> events.send(LoadDriver.id(i), LoadDriver.id(i)));
            load.awaitHandled(Duration.ofSeconds(120));

            first.close();
            second.close();
            assertThat(first.failure()).isEmpty();
            assertThat(second.failure()).isEmpty();
            load.check("kafka", "send " + TOPIC, "process " + TOPIC, start, 2);
        } finally {
            closeAll(first, second);
            load.close();
        }
    }

    private static Subscription member(EmbeddedKafka kafka, LoadDriver load, String name,
            TracewireOptions options) {
        return new TracedKafkaLoadTest_LoadHandler((id, body) -> load.handled(name, id), options)
                .start(new KafkaConsumer<>(kafka.consumerConfig(GROUP), new StringDeserializer(),
                        new StringDeserializer()));
    }

    private static void closeAll(Subscription... subscriptions) {
        for (Subscription subscription : subscriptions) {
            if (subscription != null) {
                subscription.close();
            }
        }
    }

    /** Publishes only once the group is stable with both members, so that no rebalance redelivers records. */
    private static void awaitBothMembersAssigned(Admin admin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all()
                    .get(30, TimeUnit.SECONDS).get(GROUP);
            if (group.members().size() == 2
                    && group.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty())) {
                return;
            }
            assertThat(System.nanoTime()).as("the group of two members never settled: %s", group)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
