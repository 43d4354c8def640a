package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.BatchInterfaces.DOOMED;
import static dev.tracewire.sample.kafka.BatchInterfaces.PAYMENTS;
import static dev.tracewire.sample.kafka.BatchInterfaces.RETRIED;
import static dev.tracewire.sample.kafka.BatchInterfaces.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kafka batch methods on the real broker: the records of a poll for the method's topic in one
 * CONSUMER span {@code process <topic>} with {@code messaging.batch.message_count} and a link to each
 * record's context carrying its partition and offset; the method runs inside that span; a failed
 * batch is retried or skipped as a whole, or dead-lettered record by record, and committed only
 * after that.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaBatchTest extends KafkaTestBase {

    private static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    private static final AttributeKey<String> PARTITION = AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    /** What one call of a batch method got, and the span it ran in. */
    record Batch(List<String> payments, SpanContext span) {
    }

    @Test
    void theRecordsOfAPollAreOneProcessSpanLinkedToEachRecordsContext(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(PAYMENTS, 2);
        BatchInterfaces.Payments payments = new TracedBatchInterfaces_Payments(stringProducer(kafka), options);
        Map<String, RecordMetadata> sent = new HashMap<>();
        for (int i = 0; i < 16; i++) {
            sent.put("payment-" + i, payments.paid("p" + i, "payment-" + i).get(30, TimeUnit.SECONDS));
        }
        BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
        closeLater(new TracedBatchInterfaces_Ledger(
                list -> batches.add(new Batch(List.copyOf(list), Span.current().getSpanContext())), options)
                .start(stringConsumer(kafka, "batch-ledger")));

        List<Batch> handled = takeRecords(batches, 16);
        List<SpanData> spans = awaitSpans(found -> processSpans(found, PAYMENTS).size() == handled.size());
        Map<String, SpanData> sends = new HashMap<>();
        spans.stream().filter(span -> span.getKind() == SpanKind.PRODUCER)
                .forEach(span -> sends.put(span.getSpanId(), span));
        List<String> linkedSends = new ArrayList<>();
        for (Batch batch : handled) {
            SpanData process = processSpans(spans, PAYMENTS).stream()
                    .filter(span -> span.getSpanId().equals(batch.span().getSpanId())).findFirst().orElseThrow();
            assertThat(process.getParentSpanContext().isValid()).as("a batch span continues no single trace").isFalse();
            assertThat(process.getAttributes().get(BATCH_COUNT)).isEqualTo((long) batch.payments().size());
            assertThat(process.getLinks()).hasSize(batch.payments().size());
            for (LinkData link : process.getLinks()) {
                SpanData send = sends.get(link.getSpanContext().getSpanId());
                assertThat(send).as("a link to a send span").isNotNull();
                assertThat(link.getSpanContext().getTraceId()).isEqualTo(send.getTraceId());
                assertThat(link.getAttributes().get(PARTITION)).isEqualTo(send.getAttributes().get(PARTITION));
                assertThat(link.getAttributes().get(OFFSET)).isEqualTo(send.getAttributes().get(OFFSET));
                linkedSends.add(send.getSpanId());
            }
        }
        assertThat(linkedSends).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sends.keySet());
        assertThat(handled.stream().flatMap(batch -> batch.payments().stream()))
                .containsExactlyInAnyOrderElementsOf(sent.keySet());
        printBatch(processSpans(spans, PAYMENTS).get(0));
        assertThat(awaitCommitted(kafka, "batch-ledger", PAYMENTS, 2, 16)).isEqualTo(16);
    }

    @Test
    void aFailedBatchIsRetriedAsAWholeAndCommittedOnlyAfterItSucceeded(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(RETRIED, 1);
        BatchInterfaces.Payments payments = new TracedBatchInterfaces_Payments(stringProducer(kafka), options);
        for (int i = 0; i < 4; i++) {
            payments.paidAgain("r" + i, "retried-" + i).get(30, TimeUnit.SECONDS);
        }
        TracewireOptions retrying = options.toBuilder()
                .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(50), Duration.ofMillis(50)).thenSkip()).build();
        BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        closeLater(new TracedBatchInterfaces_RetryingLedger(list -> {
            batches.add(new Batch(List.copyOf(list), Span.current().getSpanContext()));
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("ledger locked");
            }
        }, retrying).start(stringConsumer(kafka, "batch-retrying-ledger")));

        Batch failed = batches.poll(30, TimeUnit.SECONDS);
        Batch retried = batches.poll(30, TimeUnit.SECONDS);
        assertThat(failed).isNotNull();
        assertThat(retried).isNotNull();
        assertThat(retried.payments()).startsWith(failed.payments().toArray(String[]::new));
        List<SpanData> spans = awaitSpans(found -> processSpans(found, RETRIED).size() >= 2);
        SpanData first = processSpans(spans, RETRIED).stream()
                .filter(span -> span.getSpanId().equals(failed.span().getSpanId())).findFirst().orElseThrow();
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(first.getAttributes().get(AttributeKey.stringKey("error.type")))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(awaitCommitted(kafka, "batch-retrying-ledger", RETRIED, 1, 4)).isEqualTo(4);
    }

    @Test
    void aBatchThatTheErrorPolicySkipsIsCommittedWithItsRecords(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(SKIPPED, 1);
        BatchInterfaces.Payments payments = new TracedBatchInterfaces_Payments(stringProducer(kafka), options);
        for (int i = 0; i < 3; i++) {
            payments.paidInVain("s" + i, "skipped-" + i).get(30, TimeUnit.SECONDS);
        }
        AtomicInteger calls = new AtomicInteger();
        closeLater(new TracedBatchInterfaces_SkippingLedger(list -> {
            calls.addAndGet(list.size());
            throw new IllegalStateException("never");
        }, options.toBuilder().errorPolicy(ErrorPolicy.skip()).build())
                .start(stringConsumer(kafka, "batch-skipping-ledger")));

        assertThat(awaitCommitted(kafka, "batch-skipping-ledger", SKIPPED, 1, 3)).isEqualTo(3);
        assertThat(calls.get()).isEqualTo(3);
        assertThat(processSpans(exporter.getFinishedSpanItems(), SKIPPED))
                .allSatisfy(span -> assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }

    @Test
    void aBatchThatTheErrorPolicyDeadLettersIsPublishedRecordByRecordThenCommitted(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(DOOMED, 1);
        kafka.createTopic(DOOMED + ".DLT", 1);
        BatchInterfaces.Payments payments = new TracedBatchInterfaces_Payments(stringProducer(kafka), options);
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            offsets.add(payments.paidDoomed("d" + i, "doomed-" + i).get(30, TimeUnit.SECONDS).offset());
        }
        KafkaProducer<byte[], byte[]> deadLetterProducer = closeLater(new KafkaProducer<>(kafka.producerConfig(),
                new ByteArraySerializer(), new ByteArraySerializer()));
        TracewireOptions deadLettering = options.toBuilder()
                .errorPolicy(ErrorPolicy.deadLetter())
                .with(KafkaOptions.builder().deadLetters(KafkaDeadLetters.to(deadLetterProducer)
                        .serializers(new StringSerializer(), new StringSerializer())).build())
                .build();
        closeLater(new TracedBatchInterfaces_DeadLetteringLedger(list -> {
            throw new IllegalStateException("ledger closed");
        }, deadLettering).start(stringConsumer(kafka, "batch-dead-lettering-ledger")));

        assertThat(awaitCommitted(kafka, "batch-dead-lettering-ledger", DOOMED, 1, 3)).isEqualTo(3);
        List<ConsumerRecord<byte[], byte[]>> letters = read(kafka, DOOMED + ".DLT", 3);
        assertThat(letters).extracting(letter -> new String(letter.value(), StandardCharsets.UTF_8))
                .containsExactly("doomed-0", "doomed-1", "doomed-2");
        assertThat(letters).extracting(letter -> ByteBuffer.wrap(
                        letter.headers().lastHeader("kafka_dlt-original-offset").value()).getLong())
                .containsExactlyElementsOf(offsets);
        assertThat(letters).allSatisfy(letter -> assertThat(new String(
                letter.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                .isEqualTo("ledger closed"));
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(EmbeddedKafka kafka, String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(kafka.consumerConfig(topic + "-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < count && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).as("records on %s", topic).hasSize(count);
            return records;
        }
    }

    private static List<Batch> takeRecords(BlockingQueue<Batch> batches, int records) throws InterruptedException {
        List<Batch> taken = new ArrayList<>();
        int count = 0;
        while (count < records) {
            Batch batch = batches.poll(30, TimeUnit.SECONDS);
            assertThat(batch).as("batches with %s records so far", count).isNotNull();
            taken.add(batch);
            count += batch.payments().size();
        }
        return taken;
    }

    private static List<SpanData> processSpans(List<SpanData> spans, String topic) {
        return spans.stream().filter(span -> span.getKind() == SpanKind.CONSUMER)
                .filter(span -> span.getName().equals("process " + topic)).toList();
    }

    /**
     * The offsets committed for {@code group} on the topic's partitions, added up, once they reach
     * {@code expected} (or what they are after 30 s).
     */
    private static long awaitCommitted(EmbeddedKafka kafka, String group, String topic, int partitions,
            long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long total = -1;
        while (System.nanoTime() < deadline && total != expected) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin().listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long sum = 0;
            for (int partition = 0; partition < partitions; partition++) {
                OffsetAndMetadata offset = committed.get(new TopicPartition(topic, partition));
                sum += offset == null ? 0 : offset.offset();
            }
            total = sum;
            if (total != expected) {
                Thread.sleep(100);
            }
        }
        return total;
    }

    /** Prints a batch's span and its links, the shape the README describes. */
    private static void printBatch(SpanData batch) {
        StringBuilder tree = new StringBuilder("[batch span] ").append(batch.getKind()).append(' ')
                .append(batch.getName()).append(' ').append(batch.getAttributes().asMap()).append('\n');
        for (LinkData link : batch.getLinks()) {
            tree.append("  link -> trace ").append(link.getSpanContext().getTraceId()).append(" span ")
                    .append(link.getSpanContext().getSpanId()).append(' ').append(link.getAttributes().asMap())
                    .append('\n');
        }
        System.out.print(tree);
    }
}
