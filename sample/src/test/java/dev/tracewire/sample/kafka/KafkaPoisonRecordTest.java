package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.PoisonInterfaces.NUMBERS;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.CapturedLog;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A record that cannot be deserialized, between good ones, on the real broker: ints 1..5, eight
 * garbage bytes, ints 6..10, read by a generated consumer with an {@code IntegerDeserializer}. Each
 * test reads the topic in a consumer group of its own.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaPoisonRecordTest extends KafkaTestBase {

    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final TopicPartition PARTITION_0 = new TopicPartition(NUMBERS, 0);
    private static final String DEAD_LETTERS = NUMBERS + ".DLT";
    private static final byte[] GARBAGE = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0, 1, 2, 3};
    private static final long BAD_OFFSET = 5;
    /** The context the garbage record carries: a sender that traced it, then wrote bytes nobody can read. */
    private static final String TRACE_ID = "5e1ec7ed0000000000000000000b0d1e";
    private static final String SENDER_SPAN = "00000000000000a1";
    private static final List<Integer> ONE_TO_TEN = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    private static long garbageTimestamp;

    @BeforeAll
    static void writeNumbersAroundGarbage(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(NUMBERS, 1);
        kafka.createTopic(DEAD_LETTERS, 1);
        IntegerSerializer ints = new IntegerSerializer();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka.producerConfig(),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 1; i <= 5; i++) {
                producer.send(new ProducerRecord<>(NUMBERS, ints.serialize(NUMBERS, i))).get(30, TimeUnit.SECONDS);
            }
            ProducerRecord<byte[], byte[]> garbage = new ProducerRecord<>(NUMBERS, GARBAGE);
            garbage.headers().add("traceparent", ("00-" + TRACE_ID + "-" + SENDER_SPAN + "-01").getBytes(UTF_8));
            garbage.headers().add("source", "legacy-billing".getBytes(UTF_8));
            garbageTimestamp = producer.send(garbage).get(30, TimeUnit.SECONDS).timestamp();
            for (int i = 6; i <= 10; i++) {
                producer.send(new ProducerRecord<>(NUMBERS, ints.serialize(NUMBERS, i))).get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void byDefaultTheBadRecordIsAFailedSpanAndSkippedAndARestartOfTheGroupDoesNotMeetItAgain(EmbeddedKafka kafka)
            throws Exception {
        String group = "e2e-poison-skip";
        Admin admin = closeLater(kafka.admin());
        BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
        try (CapturedLog log = CapturedLog.runtime(Level.WARNING)) {
            Subscription first = new TracedPoisonInterfaces_Numbers(handled::add, options)
                    .start(intConsumer(kafka, group));
            try {
                assertThat(drain(handled, 10)).isEqualTo(ONE_TO_TEN);
                awaitCommitted(admin, group, 11);
                assertThat(first.isRunning()).isTrue();
                assertThat(first.failure()).isEmpty();
            } finally {
                first.close();
            }
            assertThat(log.at(Level.SEVERE, NUMBERS + "-0@" + BAD_OFFSET)).singleElement().satisfies(line -> {
                assertThat(line.getMessage()).contains("trace " + TRACE_ID).contains("skipping it");
                assertThat(line.getThrown()).isInstanceOf(RecordDeserializationException.class);
            });
        }

        List<SpanData> processed = processSpans();
        assertThat(processed).hasSize(11);
        SpanData bad = badRecordSpan(processed);
        assertThat(processed).filteredOn(span -> span != bad)
                .allSatisfy(span -> assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
        assertThat(bad.getAttributes().get(GROUP)).isEqualTo(group);
        assertThat(committed(admin, group)).isEqualTo(11);

        Subscription restarted = closeLater(new TracedPoisonInterfaces_Numbers(handled::add, options)
                .start(intConsumer(kafka, group)));
        awaitAssigned(admin, group);
        // Assigned, the new member reads from the committed offset: had it stopped at the bad record
        // again, it would have made a span and handled 6..10 well within this.
        Thread.sleep(1_500);
        assertThat(handled).isEmpty();
        assertThat(processSpans()).hasSize(11);
        assertThat(restarted.isRunning()).isTrue();
        assertThat(restarted.failure()).isEmpty();
        assertThat(committed(admin, group)).isEqualTo(11);
    }

    @Test
    void aPolicyThatStopsStopsAtTheBadRecordAndLeavesItUncommitted(EmbeddedKafka kafka) throws Exception {
        String group = "e2e-poison-stop";
        Admin admin = closeLater(kafka.admin());
        BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
        Subscription stopping;
        try (CapturedLog log = CapturedLog.runtime(Level.WARNING)) {
            stopping = closeLater(new TracedPoisonInterfaces_Numbers(handled::add,
                    options.toBuilder().errorPolicy(ErrorPolicy.stop()).build()).start(intConsumer(kafka, group)));

            assertThat(drain(handled, 5)).isEqualTo(ONE_TO_TEN.subList(0, 5));
            assertThat(stopping.awaitTermination(Duration.ofSeconds(30))).as("stopped by the policy").isTrue();
            assertThat(log.at(Level.SEVERE, NUMBERS + "-0@" + BAD_OFFSET)).singleElement().satisfies(line ->
                    assertThat(line.getMessage()).contains("trace " + TRACE_ID).contains("stopping the consumer"));
        }
        assertThat(stopping.isRunning()).isFalse();
        assertThat(stopping.failure()).containsInstanceOf(RecordDeserializationException.class);
        assertThat(committed(admin, group)).as("uncommitted at the bad record").isEqualTo(BAD_OFFSET);
        assertThat(handled).as("nothing after the bad record").isEmpty();
        assertThat(processSpans()).hasSize(6);
        badRecordSpan(processSpans());
    }

    @Test
    void withDeadLettersTheBadRecordsBytesGoUntouchedToTheDeadLetterTopicInTheSameTrace(EmbeddedKafka kafka)
            throws Exception {
        String group = "e2e-poison-dlt";
        Admin admin = closeLater(kafka.admin());
        KafkaProducer<byte[], byte[]> deadLetterProducer = closeLater(new KafkaProducer<>(kafka.producerConfig(),
                new ByteArraySerializer(), new ByteArraySerializer()));
        TracewireOptions deadLettering = options.toBuilder()
                .with(KafkaOptions.builder().deadLetters(KafkaDeadLetters.to(deadLetterProducer)).build())
                .build();
        BlockingQueue<Integer> handled = new LinkedBlockingQueue<>();
        Subscription subscription = closeLater(new TracedPoisonInterfaces_Numbers(handled::add, deadLettering)
                .start(intConsumer(kafka, group)));

        assertThat(drain(handled, 10)).isEqualTo(ONE_TO_TEN);
        awaitCommitted(admin, group, 11);
        assertThat(subscription.isRunning()).isTrue();

        ConsumerRecord<byte[], byte[]> letter = readDeadLetter(kafka);
        assertThat(letter.value()).as("the garbage, untouched").containsExactly(GARBAGE);
        assertThat(letter.key()).isNull();
        assertThat(text(letter, "source")).as("the original headers").isEqualTo("legacy-billing");
        assertThat(text(letter, "kafka_dlt-exception-fqcn")).isEqualTo(RecordDeserializationException.class.getName());
        assertThat(text(letter, "kafka_dlt-exception-message")).contains(NUMBERS + "-0").contains("offset 5");
        assertThat(text(letter, "kafka_dlt-exception-stacktrace")).startsWith(
                RecordDeserializationException.class.getName());
        assertThat(text(letter, "kafka_dlt-original-topic")).isEqualTo(NUMBERS);
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-partition")).getInt()).isZero();
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-offset")).getLong()).isEqualTo(BAD_OFFSET);
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-timestamp")).getLong())
                .isEqualTo(garbageTimestamp);
        assertThat(text(letter, "kafka_dlt-original-timestamp-type")).isEqualTo("CreateTime");
        assertThat(text(letter, "kafka_dlt-original-consumer-group")).isEqualTo(group);
        assertThat(ByteBuffer.wrap(bytes(letter, "retry_topic-attempts")).getInt()).isEqualTo(1);

        SpanData bad = badRecordSpan(processSpans());
        SpanData deadLetter = awaitSpan("send " + DEAD_LETTERS);
        assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(deadLetter.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(deadLetter.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(deadLetter.getParentSpanId()).as("child of the failed process span").isEqualTo(bad.getSpanId());
        assertThat(deadLetter.getLinks()).singleElement().satisfies(link ->
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(SENDER_SPAN));
        assertThat(letter.headers().headers("traceparent")).hasSize(1);
        assertThat(text(letter, "traceparent")).as("a consumer of the dead letter continues the trace")
                .isEqualTo("00-" + TRACE_ID + "-" + deadLetter.getSpanId() + "-01");
    }

    private KafkaConsumer<byte[], Integer> intConsumer(EmbeddedKafka kafka, String group) {
        return new KafkaConsumer<>(kafka.consumerConfig(group), new ByteArrayDeserializer(),
                new IntegerDeserializer());
    }

    private List<SpanData> processSpans() {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getName().equals("process " + NUMBERS))
                .toList();
    }

    /** The one process span of the bad record, checked: failed, continuing the record's context. */
    private static SpanData badRecordSpan(List<SpanData> processed) {
        List<SpanData> failed = processed.stream()
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR).toList();
        assertThat(failed).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(RecordDeserializationException.class.getName());
            assertThat(span.getAttributes().get(OFFSET)).isEqualTo(BAD_OFFSET);
            assertThat(span.getAttributes().get(PARTITION)).isEqualTo("0");
            assertThat(span.getTraceId()).as("the record's header context").isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(SENDER_SPAN);
            assertThat(span.getEvents()).anyMatch(event -> event.getName().equals("exception"));
        });
        return failed.get(0);
    }

    private static List<Integer> drain(BlockingQueue<Integer> handled, int count) throws InterruptedException {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Integer next = handled.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("handled %s so far", numbers).isNotNull();
            numbers.add(next);
        }
        return numbers;
    }

    private static long committed(Admin admin, String group) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).get(PARTITION_0);
        return offset == null ? -1 : offset.offset();
    }

    private static void awaitCommitted(Admin admin, String group, long offset) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (committed(admin, group) != offset && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(committed(admin, group)).as("committed offset of %s", group).isEqualTo(offset);
    }

    private static void awaitAssigned(Admin admin, String group) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(30, TimeUnit.SECONDS);
            if (description.groupState() == GroupState.STABLE && description.members().stream()
                    .anyMatch(member -> member.assignment().topicPartitions().contains(PARTITION_0))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the restarted member of " + group + " was never assigned " + PARTITION_0);
    }

    private static ConsumerRecord<byte[], byte[]> readDeadLetter(EmbeddedKafka kafka) {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(kafka.consumerConfig("e2e-poison-dlt-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(DEAD_LETTERS, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (letters.isEmpty() && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(letters::add);
            }
            assertThat(reader.endOffsets(List.of(partition)).get(partition)).as("one dead letter").isEqualTo(1L);
            assertThat(letters).hasSize(1);
            return letters.get(0);
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
}
