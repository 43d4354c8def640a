package dev.tracewire.runtime.kafka.internal;

import static dev.tracewire.runtime.testing.TestSupport.awaitTrue;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.runtime.kafka.internal.KafkaPollLoopTest.TestConsumer;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Dead letters from the Kafka poll loop: the record's bytes and headers plus Spring Kafka's
 * failure headers, published in a PRODUCER span that is a child of the last failed process span
 * and links to the record's own context; the original committed only once the dead letter is
 * acknowledged.
 */
class KafkaDeadLetterTest {

    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String SENDER_SPAN = "b7ad6b7169203331";

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Test
    void aRecordWhoseAttemptsAreUsedUpIsDeadLetteredWithItsBytesHeadersAndFailure() throws Exception {
        MockProducer<byte[], byte[]> dlt = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(0, "bad"), record(1, "good"));

        try (Subscription subscription = start(consumer, ErrorPolicy.retry(2, Duration.ofMillis(5),
                Duration.ofMillis(5)).thenDeadLetter(), KafkaDeadLetters.to(dlt)
                .serializers(new StringSerializer(), new StringSerializer()))) {
            awaitCommitted(consumer, 2);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(calls).containsExactly("bad", "bad", "good");
        ProducerRecord<byte[], byte[]> letter = single(dlt.history());
        assertThat(letter.topic()).isEqualTo("orders.DLT");
        assertThat(new String(letter.key(), UTF_8)).isEqualTo("k0");
        assertThat(new String(letter.value(), UTF_8)).isEqualTo("bad");
        assertThat(text(letter, "tenant")).as("the original headers").isEqualTo("acme");
        assertThat(text(letter, "kafka_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
        assertThat(text(letter, "kafka_dlt-exception-message")).isEqualTo("cannot handle bad");
        assertThat(text(letter, "kafka_dlt-exception-stacktrace")).contains("IllegalStateException");
        assertThat(text(letter, "kafka_dlt-original-topic")).isEqualTo(TOPIC);
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-partition")).getInt()).isZero();
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-offset")).getLong()).isZero();
        assertThat(text(letter, "kafka_dlt-original-consumer-group")).isEqualTo(KafkaPollLoopTest.MOCK_GROUP);
        assertThat(ByteBuffer.wrap(bytes(letter, "retry_topic-attempts")).getInt()).isEqualTo(2);
        assertThat(letter.headers().headers("traceparent")).hasSize(1);

        List<SpanData> attempts = telemetry.spans("process orders").stream()
                .filter(span -> Long.valueOf(0).equals(span.getAttributes().get(
                        AttributeKey.longKey("messaging.kafka.offset"))))
                .toList();
        assertThat(attempts).hasSize(2);
        SpanData deadLetter = single(telemetry.spans("send orders.DLT"));
        assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(deadLetter.getTraceId()).isEqualTo(TRACE);
        assertThat(deadLetter.getParentSpanId()).as("child of the last failed process span")
                .isEqualTo(attempts.get(1).getSpanId());
        assertThat(deadLetter.getLinks()).singleElement().satisfies(link ->
                assertThat(link.getSpanContext().getSpanId()).as("linked to the original message")
                        .isEqualTo(SENDER_SPAN));
        assertThat(text(letter, "traceparent")).as("the dead letter continues the trace from its own span")
                .isEqualTo("00-" + TRACE + "-" + deadLetter.getSpanId() + "-01");
    }

    @Test
    void aRecordThatCannotBeDeserializedIsDeadLetteredWithItsRawBytesUntouched() throws Exception {
        MockProducer<byte[], byte[]> dlt = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(0, "good"));
        byte[] garbage = {1, 2, 3, 4, 5, 6, 7, 8};
        consumer.schedulePollTask(() -> { });
        consumer.schedulePollTask(() -> consumer.setPollException(poison(1, garbage)));

        try (Subscription subscription = start(consumer, ErrorPolicy.deadLetter(), KafkaDeadLetters.to(dlt))) {
            awaitCommitted(consumer, 2);
            assertThat(subscription.isRunning()).isTrue();
        }

        ProducerRecord<byte[], byte[]> letter = single(dlt.history());
        assertThat(letter.value()).containsExactly(garbage);
        assertThat(new String(letter.key(), UTF_8)).isEqualTo("raw-key");
        assertThat(text(letter, "kafka_dlt-exception-fqcn")).isEqualTo(RecordDeserializationException.class.getName());
        assertThat(ByteBuffer.wrap(bytes(letter, "kafka_dlt-original-offset")).getLong()).isEqualTo(1);
        assertThat(ByteBuffer.wrap(bytes(letter, "retry_topic-attempts")).getInt()).isEqualTo(1);
    }

    @Test
    void whenTheDeadLetterCannotBePublishedTheRecordStaysUncommittedAndIsTriedAgain() throws Exception {
        MockProducer<byte[], byte[]> dlt = new MockProducer<>(false, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(0, "bad"));
        Thread broker = new Thread(() -> {
            awaitTrue(() -> dlt.history().size() == 1, "the first dead letter");
            dlt.errorNext(new IllegalStateException("dead-letter topic unavailable"));
            awaitTrue(() -> dlt.history().size() == 2, "the second dead letter");
            dlt.completeNext();
        });
        broker.start();

        try (Subscription subscription = start(consumer, ErrorPolicy.deadLetter(), KafkaDeadLetters.to(dlt)
                .serializers(new StringSerializer(), new StringSerializer()))) {
            awaitTrue(() -> dlt.history().size() == 1, "a dead letter published");
            assertThat(consumer.commits).as("not committed while the dead letter is unacknowledged").isEmpty();
            awaitCommitted(consumer, 1);
            assertThat(subscription.isRunning()).isTrue();
        }
        broker.join(10_000);

        assertThat(calls).as("handled again before the second dead letter").containsExactly("bad", "bad");
        assertThat(telemetry.spans("send orders.DLT")).hasSize(2);
    }

    @Test
    void aPolicyThatDeadLettersNeedsADeadLetterProducer() {
        TracewireOptions options = telemetry.options().errorPolicy(ErrorPolicy.deadLetter()).build();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder("OrderHandler",
                KafkaPollLoopTest.MOCK_GROUP, options).route(TOPIC, record -> { }).build();

        assertThatThrownBy(() -> dispatcher.start(new TestConsumer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KafkaDeadLetters.to(producer)");
    }

    private Subscription start(TestConsumer consumer, ErrorPolicy policy, KafkaDeadLetters deadLetters) {
        TracewireOptions options = telemetry.options()
                .errorPolicy(policy)
                .with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(20)).deadLetters(deadLetters).build())
                .build();
        return KafkaDispatcher.<String, String>builder("OrderHandler", KafkaPollLoopTest.MOCK_GROUP, options)
                .route(TOPIC, record -> {
                    calls.add(record.value());
                    if (record.value().equals("bad")) {
                        throw new IllegalStateException("cannot handle bad");
                    }
                })
                .build()
                .start(consumer);
    }

    private static ConsumerRecord<String, String> record(long offset, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE + "-" + SENDER_SPAN + "-01").getBytes(UTF_8));
        headers.add("tenant", "acme".getBytes(UTF_8));
        return new ConsumerRecord<>(TOPIC, 0, offset, 0L, TimestampType.CREATE_TIME, 2, value.length(), "k" + offset,
                value, headers, Optional.empty());
    }

    private static RecordDeserializationException poison(long offset, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + TRACE + "-" + SENDER_SPAN + "-01").getBytes(UTF_8));
        return new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                P0, offset, 0L, TimestampType.CREATE_TIME, ByteBuffer.wrap("raw-key".getBytes(UTF_8)),
                ByteBuffer.wrap(value), headers, "not an int", new SerializationException("size is not 4"));
    }

    @SafeVarargs
    private static void assign(TestConsumer consumer, ConsumerRecord<String, String> first,
            ConsumerRecord<String, String>... more) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.publish(first);
            for (ConsumerRecord<String, String> record : more) {
                consumer.publish(record);
            }
        });
    }

    private static void awaitCommitted(TestConsumer consumer, long offset) {
        awaitTrue(() -> {
            OffsetAndMetadata committed = consumer.commits.get(P0);
            return committed != null && committed.offset() == offset;
        }, "committed up to " + offset);
    }

    private static <T> T single(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    private static byte[] bytes(ProducerRecord<byte[], byte[]> record, String header) {
        Header last = record.headers().lastHeader(header);
        assertThat(last).as(header).isNotNull();
        return last.value();
    }

    private static String text(ProducerRecord<byte[], byte[]> record, String header) {
        return new String(bytes(record, header), UTF_8);
    }
}
