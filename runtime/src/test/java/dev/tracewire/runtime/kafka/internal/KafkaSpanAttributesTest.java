package dev.tracewire.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.testing.TestTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The span attributes generated code passes for {@code @SpanAttribute} parameters: set at the
 * start of send and process spans, after the messaging attributes; a record that could not be
 * deserialized, which the generated function cannot read, still gets its (failed) process span.
 */
class KafkaSpanAttributesTest {

    private static final String TOPIC = "orders";
    private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order.id");
    private static final AttributeKey<Long> PRIORITY = AttributeKey.longKey("order.priority");

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    @Test
    void everyWayToSendStartsTheSpanWithTheGivenAttributes() throws Exception {
        MockProducer<String, String> producer =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer, telemetry.options().build())
                .sender(TOPIC);

        sender.send(sender.record("k1", "v"), Attributes.of(ORDER_ID, "o-1", PRIORITY, 1L)).get();
        sender.sendAndForget(sender.record("k2", "v"), Attributes.of(ORDER_ID, "o-2"));
        sender.sendAndWait(sender.record("k3", "v"), Attributes.of(ORDER_ID, "o-3"));
        sender.sendAndWait(sender.record("k4", "v"), null);

        assertThat(telemetry.spans("send " + TOPIC)).extracting(span -> span.getAttributes().get(ORDER_ID))
                .containsExactly("o-1", "o-2", "o-3", null);
        assertThat(telemetry.spans("send " + TOPIC).get(0).getAttributes().get(PRIORITY)).isEqualTo(1L);
        assertThat(telemetry.spans("send " + TOPIC)).allSatisfy(span ->
                assertThat(span.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("kafka"));
    }

    @Test
    void theProcessSpanStartsWithWhatTheRoutesFunctionTakesFromTheRecord() throws Exception {
        KafkaDispatcher<String, String> dispatcher = dispatcher();

        dispatcher.handle(new ConsumerRecord<>(TOPIC, 0, 5L, "k1", "v"));

        assertThat(telemetry.spans("process " + TOPIC)).singleElement().satisfies(span -> {
            assertThat(span.getAttributes().get(ORDER_ID)).isEqualTo("k1");
            assertThat(span.getAttributes().get(AttributeKey.longKey("messaging.kafka.offset"))).isEqualTo(5L);
        });
    }

    @Test
    void aRecordThatCouldNotBeDeserializedGetsItsFailedSpanWithoutTheFunctionsAttributes() {
        KafkaDispatcher<String, String> dispatcher = dispatcher();
        RecordDeserializationException poison = new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, new TopicPartition(TOPIC, 0), 9L,
                0L, TimestampType.CREATE_TIME, ByteBuffer.wrap("raw-key".getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(new byte[] {1, 2}), new RecordHeaders(), "not a string",
                new SerializationException("bad bytes"));

        assertThat(dispatcher.poison(KafkaDispatcher.raw(poison), poison).cause()).isSameAs(poison);

        SpanData process = telemetry.spans("process " + TOPIC).get(0);
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getAttributes().get(ORDER_ID)).as("the raw key is bytes, not the String the function reads")
                .isNull();
    }

    private KafkaDispatcher<String, String> dispatcher() {
        return KafkaDispatcher.<String, String>builder("com.example.OrderHandler", "", telemetry.options().build())
                .route(TOPIC, record -> { }, record -> Attributes.of(ORDER_ID, record.key()))
                .build();
    }
}
