package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.PoisonInterfaces.DOOMED;
import static dev.tracewire.sample.kafka.PoisonInterfaces.STUCK;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import dev.tracewire.sample.support.CapturedLog;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code retry(3, 10 ms, 50 ms).thenDeadLetter()} on the real broker: a handler that always fails
 * for one record, whose dead letter is acknowledged (then the original is committed) or cannot be
 * published (then the original stays uncommitted and is handled again).
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaDeadLetterTopicTest extends KafkaTestBase {

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final ErrorPolicy THREE_TRIES_THEN_DEAD_LETTER =
            ErrorPolicy.retry(3, Duration.ofMillis(10), Duration.ofMillis(50)).thenDeadLetter();
    /** The producer setting that carries a test's {@link AckGate} latch to the interceptor. */
    private static final String GATE = "tracewire.test.ack-gate";

    @Test
    void afterThreeFailedAttemptsTheRecordIsDeadLetteredWithItsBytesHeadersAndTraceAndOnlyThenCommitted(
            EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(DOOMED, 1);
        kafka.createTopic(DOOMED + ".DLT", 1);
        String group = "e2e-doomed";
        Admin admin = closeLater(kafka.admin());
        CountDownLatch releaseAck = new CountDownLatch(1);
        Map<String, Object> gated = kafka.producerConfig();
        gated.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, List.of(AckGate.class));
        gated.put(GATE, releaseAck);
        KafkaProducer<byte[], byte[]> deadLetterProducer = closeLater(new KafkaProducer<>(gated,
                new ByteArraySerializer(), new ByteArraySerializer()));
        TracewireOptions deadLettering = options.toBuilder()
                .errorPolicy(THREE_TRIES_THEN_DEAD_LETTER)
                .with(KafkaOptions.builder().deadLetters(KafkaDeadLetters.to(deadLetterProducer)
                        .serializers(new StringSerializer(), new StringSerializer())).build())
                .build();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        AtomicInteger doomedCalls = new AtomicInteger();
        closeLater(new TracedPoisonInterfaces_DoomedOrders((id, text, tenant) -> {
            if (id.equals("order-2")) {
                doomedCalls.incrementAndGet();
                throw new RejectedException("cannot bill " + text + " for " + tenant);
            }
            handled.add(id);
        }, deadLettering).start(stringConsumer(kafka, group)));

        PoisonInterfaces.OrderEvents events = new TracedPoisonInterfaces_OrderEvents(stringProducer(kafka), options);
        // Closed first when the test fails: the consumer's close must not wait out a held acknowledgement.
        AutoCloseable release = closeLater(releaseAck::countDown);
        events.doomed("order-1", "fine", "acme").get(30, TimeUnit.SECONDS);
        RecordMetadata doomed = events.doomed("order-2", "überweisung", "acme").get(30, TimeUnit.SECONDS);
        events.doomed("order-3", "fine", "acme").get(30, TimeUnit.SECONDS);

        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("order-1");
        ConsumerRecord<byte[], byte[]> letter = readOne(kafka, DOOMED + ".DLT");
        // The broker has the dead letter, but its acknowledgement is held back: nothing past the
        // failed record may be committed yet, and what follows it on the partition waits.
        Thread.sleep(500);
        assertThat(committed(admin, group, DOOMED)).as("committed while the dead letter is unacknowledged")
                .isLessThanOrEqualTo(doomed.offset());
        assertThat(handled).isEmpty();
        release.close();
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("order-3");
        awaitCommitted(admin, group, DOOMED, 3);
        assertThat(doomedCalls).hasValue(3);

        assertThat(new String(letter.key(), UTF_8)).isEqualTo("order-2");
        assertThat(new String(letter.value(), UTF_8)).isEqualTo("überweisung");
        assertThat(text(letter, "tenant")).isEqualTo("acme");
        assertThat(text(letter, "kafka_dlt-exception-fqcn")).isEqualTo(RejectedException.class.getName());
        assertThat(text(letter, "kafka_dlt-exception-message")).isEqualTo("cannot bill überweisung for acme");
        assertThat(text(letter, "kafka_dlt-exception-stacktrace"))
                .startsWith(RejectedException.class.getName() + ": cannot bill");
        assertThat(text(letter, "kafka_dlt-original-topic")).isEqualTo(DOOMED);
        assertThat(bytes(letter, "kafka_dlt-original-partition")).hasSize(4);
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-partition")).getInt())
                .isEqualTo(doomed.partition());
        assertThat(bytes(letter, "kafka_dlt-original-offset")).hasSize(8);
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-offset")).getLong()).isEqualTo(doomed.offset());
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-timestamp")).getLong())
                .isEqualTo(doomed.timestamp());
        assertThat(text(letter, "kafka_dlt-original-timestamp-type")).isEqualTo("CreateTime");
        assertThat(text(letter, "kafka_dlt-original-consumer-group")).isEqualTo(group);
        assertThat(bytes(letter, "retry_topic-attempts")).hasSize(4);
        assertThat(ByteBuffer.wrap(bytes(letter, "retry_topic-attempts")).getInt()).isEqualTo(3);

        SpanData send = exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("send " + DOOMED))
                .filter(span -> Long.valueOf(doomed.offset()).equals(span.getAttributes().get(OFFSET)))
                .findFirst().orElseThrow();
        List<SpanData> attempts = awaitSpans(spans -> failedAttempts(spans, DOOMED).size() >= 3).stream()
                .filter(span -> failedAttempts(List.of(span), DOOMED).size() == 1)
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .toList();
        assertThat(attempts).hasSize(3).allSatisfy(span -> {
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(RejectedException.class.getName());
            assertThat(span.getAttributes().get(OFFSET)).isEqualTo(doomed.offset());
            assertThat(span.getParentSpanId()).isEqualTo(send.getSpanId());
        });
        SpanData deadLetter = awaitSpan("send " + DOOMED + ".DLT");
        assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(deadLetter.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(deadLetter.getTraceId()).isEqualTo(send.getTraceId());
        assertThat(deadLetter.getParentSpanId()).as("child of the last failed attempt")
                .isEqualTo(attempts.get(2).getSpanId());
        assertThat(deadLetter.getLinks()).singleElement().satisfies(link ->
                assertThat(link.getSpanContext().getSpanId()).as("linked to the original's context")
                        .isEqualTo(send.getSpanId()));
        assertThat(letter.headers().headers("traceparent")).hasSize(1);
        assertThat(text(letter, "traceparent")).isEqualTo("00-" + send.getTraceId() + "-" + deadLetter.getSpanId()
                + "-" + deadLetter.getSpanContext().getTraceFlags().asHex());
    }

    @Test
    void whenTheDeadLetterCannotBePublishedTheRecordStaysUncommittedAndIsHandledAgain(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(STUCK, 1);
        String group = "e2e-stuck";
        Admin admin = closeLater(kafka.admin());
        Map<String, Object> config = kafka.producerConfig();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
        KafkaProducer<byte[], byte[]> deadLetterProducer = closeLater(new KafkaProducer<>(config,
                new ByteArraySerializer(), new ByteArraySerializer()));
        String unwritable = "bad topic name!";
        TracewireOptions deadLettering = options.toBuilder()
                .errorPolicy(THREE_TRIES_THEN_DEAD_LETTER)
                .with(KafkaOptions.builder().deadLetters(KafkaDeadLetters.to(deadLetterProducer)
                        .topic(topic -> unwritable)
                        .serializers(new StringSerializer(), new StringSerializer())).build())
                .build();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        AtomicInteger stuckCalls = new AtomicInteger();
        PoisonInterfaces.OrderEvents events = new TracedPoisonInterfaces_OrderEvents(stringProducer(kafka), options);
        RecordMetadata stuck = events.stuck("order-1", "unbillable", "acme").get(30, TimeUnit.SECONDS);
        events.stuck("order-2", "fine", "acme").get(30, TimeUnit.SECONDS);

        try (CapturedLog log = CapturedLog.runtime(Level.WARNING)) {
            Subscription subscription = new TracedPoisonInterfaces_StuckOrders((id, text, tenant) -> {
                if (id.equals("order-1")) {
                    stuckCalls.incrementAndGet();
                    throw new RejectedException("cannot bill " + text);
                }
                handled.add(id);
            }, deadLettering).start(stringConsumer(kafka, group));
            try {
                // 3 attempts, a dead letter that fails, then the record again 1 s later: attempt 4,
                // whose dead letter fails as well, and attempt 5.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (stuckCalls.get() < 5 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(stuckCalls.get()).as("handled again after each failed dead letter")
                        .isGreaterThanOrEqualTo(5);
                assertThat(committed(admin, group, STUCK)).as("nothing committed").isEqualTo(-1);
                assertThat(handled).as("the record behind it waits").isEmpty();
                assertThat(subscription.isRunning()).isTrue();
            } finally {
                subscription.close();
            }
            assertThat(log.at(Level.SEVERE, "the dead letter of " + STUCK + "-0@" + stuck.offset()))
                    .hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(line -> assertThat(line.getMessage()).contains("stays uncommitted")
                            .contains("trace " + sendSpanOf(stuck).getTraceId()));
        }
        assertThat(committed(admin, group, STUCK)).as("still nothing committed after close").isEqualTo(-1);

        List<SpanData> deadLetters = exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("send " + unwritable)).toList();
        assertThat(deadLetters).hasSizeGreaterThanOrEqualTo(2).allSatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(ERROR_TYPE)).isNotBlank();
        });
    }

    private SpanData sendSpanOf(RecordMetadata metadata) {
        return exporter.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals("send " + metadata.topic()))
                .filter(span -> Long.valueOf(metadata.offset()).equals(span.getAttributes().get(OFFSET)))
                .findFirst().orElseThrow();
    }

    private static List<SpanData> failedAttempts(List<SpanData> spans, String topic) {
        return spans.stream().filter(span -> span.getName().equals("process " + topic))
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR).toList();
    }

    private static long committed(Admin admin, String group, String topic) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }

    private static void awaitCommitted(Admin admin, String group, String topic, long offset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (committed(admin, group, topic) != offset && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(committed(admin, group, topic)).as("committed offset of %s", group).isEqualTo(offset);
    }

    private static ConsumerRecord<byte[], byte[]> readOne(EmbeddedKafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(kafka.consumerConfig(topic + "-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.isEmpty() && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).as("one record on %s", topic).hasSize(1);
            return records.get(0);
        }
    }

    private static byte[] bytes(ConsumerRecord<?, ?> record, String header) {
        List<Header> found = new ArrayList<>();
        record.headers().headers(header).forEach(found::add);
        assertThat(found).as("header %s", header).hasSize(1);
        return found.get(0).value();
    }

    private static String text(ConsumerRecord<?, ?> record, String header) {
        return new String(bytes(record, header), UTF_8);
    }

    /**
     * Holds back the acknowledgements of a real producer until the test's latch opens: the broker
     * has the record, but the producer's caller does not hear of it yet. The interceptor runs on
     * the producer's I/O thread just before the callback.
     */
    public static final class AckGate implements ProducerInterceptor<byte[], byte[]> {
        private CountDownLatch release;

        @Override
        public void configure(Map<String, ?> configs) {
            release = (CountDownLatch) configs.get(GATE);
        }

        @Override
        public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
            return record;
        }

        @Override
        public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
        }
    }
}
