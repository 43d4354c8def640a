package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.TracewireThreads;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code close()} of a generated consumer's subscription returns within
 * {@link KafkaOptions#closeTimeout()} on a real broker, when a handler is slower than that and when
 * the broker is gone, commits what was handled, and leaves no thread of tracewire's behind.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaCloseTest extends KafkaTestBase {

    static final String SLOW = "e2e.close.slow";
    static final String GONE = "e2e.close.gone";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** What a close may take beyond its timeout on this busy machine (scheduling, not waiting). */
    private static final Duration MARGIN = Duration.ofMillis(700);
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    @TracedConsumer(group = "e2e-close-slow")
    interface SlowHandler {
        @Topic(SLOW)
        void onRecord(@Key String key, String text) throws InterruptedException;
    }

    @TracedConsumer(group = "e2e-close-gone")
    interface GoneHandler {
        @Topic(GONE)
        void onRecord(@Key String key, String text);
    }

    @Test
    void closeReturnsWithinItsTimeoutWhileAHandlerIsSlowerAndLeavesThatRecordForTheNextMember(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(SLOW, 1);
        KafkaProducer<String, String> producer = stringProducer(kafka);
        for (String key : List.of("fast-0", "slow-1", "fast-2")) {
            producer.send(new ProducerRecord<>(SLOW, key, key)).get(30, TimeUnit.SECONDS);
        }
        Set<String> threadsBefore = TracewireThreads.alive();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        CountDownLatch slowStarted = new CountDownLatch(1);
        Subscription subscription = new TracedKafkaCloseTest_SlowHandler((key, text) -> {
            if (key.startsWith("slow")) {
                slowStarted.countDown();
                Thread.sleep(60_000);
            }
            handled.add(key);
        }, closingWithin(CLOSE_TIMEOUT)).start(stringConsumer(kafka, "e2e-close-slow"));
        assertThat(slowStarted.await(30, TimeUnit.SECONDS)).as("the slow record is in flight").isTrue();
        assertThat(TracewireThreads.alive()).as("the poll loop's thread").hasSizeGreaterThan(threadsBefore.size());

        Duration took = timed(subscription::close);

        System.out.printf("[tracewire tests] close with a handler slower than closeTimeout %d ms: %d ms%n",
                CLOSE_TIMEOUT.toMillis(), took.toMillis());
        assertThat(took).as("close() with a handler that would take a minute")
                .isLessThan(CLOSE_TIMEOUT.plus(MARGIN));
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).isEmpty();
        assertThat(TracewireThreads.awaitOnly(threadsBefore, Duration.ofSeconds(1))).as("tracewire threads left")
                .isEmpty();
        assertThat(handled).containsExactly("fast-0");
        assertThat(committed("e2e-close-slow", kafka)).as("committed: the finished record, not the interrupted one")
                .containsEntry(new TopicPartition(SLOW, 0), new OffsetAndMetadata(1));
        SpanData interrupted = awaitSpans(spans -> spans.stream().anyMatch(KafkaCloseTest::isError)).stream()
                .filter(KafkaCloseTest::isError).findFirst().orElseThrow();
        assertThat(interrupted.getAttributes().get(OFFSET)).isEqualTo(1L);
        assertThat(interrupted.getAttributes().get(ERROR_TYPE)).isEqualTo(InterruptedException.class.getName());

        BlockingQueue<String> next = new LinkedBlockingQueue<>();
        closeLater(new TracedKafkaCloseTest_SlowHandler((key, text) -> next.add(key), options)
                .start(stringConsumer(kafka, "e2e-close-slow")));
        assertThat(next.poll(30, TimeUnit.SECONDS)).as("the next member gets the interrupted record").isEqualTo("slow-1");
        assertThat(next.poll(30, TimeUnit.SECONDS)).isEqualTo("fast-2");
    }

    /**
     * The broker goes while a handler holds a record; once it returned, its offset cannot be
     * committed, and the Kafka client's own commit and close would wait for a broker for up to a
     * minute.
     */
    @Test
    void closeReturnsWithinItsTimeoutWhenTheBrokerIsGone() throws Exception {
        Set<String> threadsBefore = TracewireThreads.alive();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Subscription subscription;
        try (EmbeddedKafka doomed = EmbeddedKafka.start()) {
            doomed.createTopic(GONE, 1);
            subscription = new TracedKafkaCloseTest_GoneHandler((key, text) -> {
                handled.add(key);
                if (key.equals("held")) {
                    held.countDown();
                    awaitUninterruptibly(release);
                }
            }, closingWithin(CLOSE_TIMEOUT)).start(stringConsumer(doomed, "e2e-close-gone"));
            KafkaProducer<String, String> producer = stringProducer(doomed);
            producer.send(new ProducerRecord<>(GONE, "first", "committed")).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(GONE, "held", "while the broker goes")).get(30, TimeUnit.SECONDS);
            assertThat(held.await(30, TimeUnit.SECONDS)).as("the second record is in flight").isTrue();
        }
        release.countDown();

        Duration took = timed(subscription::close);

        System.out.printf("[tracewire tests] close with the broker gone, closeTimeout %d ms: %d ms%n",
                CLOSE_TIMEOUT.toMillis(), took.toMillis());
        assertThat(handled).containsExactly("first", "held");
        assertThat(took).as("close() with the broker gone").isLessThan(CLOSE_TIMEOUT.plus(MARGIN));
        assertThat(subscription.isRunning()).isFalse();
        assertThat(TracewireThreads.awaitOnly(threadsBefore, Duration.ofSeconds(1))).as("tracewire threads left")
                .isEmpty();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // hold on until released
            }
        }
    }

    private TracewireOptions closingWithin(Duration closeTimeout) {
        return options.toBuilder()
                .with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(50)).closeTimeout(closeTimeout).build())
                .build();
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(String group, EmbeddedKafka kafka) throws Exception {
        return closeLater(kafka.admin()).listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS);
    }

    private static Duration timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static boolean isError(SpanData span) {
        return span.getStatus().getStatusCode() == StatusCode.ERROR;
    }
}
