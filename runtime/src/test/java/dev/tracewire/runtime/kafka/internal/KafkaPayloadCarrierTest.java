package dev.tracewire.runtime.kafka.internal;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tracewire.runtime.PayloadCarrier;
import dev.tracewire.runtime.kafka.KafkaPayloadCarrier;
import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Kafka's side of payload-carried context: the deserializer takes the field out before the user's
 * deserializer runs and hands the context over in the record's headers, which the dispatcher reads
 * when no header carries a valid context; the publisher hands the send's context over to the
 * serializer, which embeds it and removes the hand-over headers.
 */
@SuppressWarnings("try") // the scope is there to be closed
class KafkaPayloadCarrierTest {

    private static final String TOPIC = "orders";
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final PayloadCarrier ENVELOPE = PayloadCarrier.envelope();

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final Deserializer<String> deserializer = KafkaPayloadCarrier.deserializer(ENVELOPE,
            new StringDeserializer());

    @Test
    void theDeserializerHandsTheContextOverAndTheUsersDeserializerGetsTheData() {
        RecordHeaders headers = new RecordHeaders();

        String value = deserializer.deserialize(TOPIC, headers, ByteBuffer.wrap(bytes(
                "{\"data\":{\"id\":\"o-1\"},\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"}}")));

        assertThat(value).isEqualTo("{\"id\":\"o-1\"}");
        assertThat(KafkaHeaders.lastString(headers, KafkaPayloadCarrier.CONTEXT_HEADER)).isEmpty();
        assertThat(KafkaHeaders.lastString(headers, KafkaPayloadCarrier.CONTEXT_HEADER + ".traceparent"))
                .isEqualTo(TRACEPARENT);
    }

    @Test
    void theDeserializerDropsHeadersHandedOverBeforeAndPassesOtherValuesAsTheyAre() {
        RecordHeaders headers = new RecordHeaders();
        headers.add(KafkaPayloadCarrier.CONTEXT_HEADER, new byte[0]);
        headers.add(KafkaPayloadCarrier.CONTEXT_HEADER + ".traceparent", bytes(TRACEPARENT));
        headers.add("tenant", bytes("acme"));

        String value = deserializer.deserialize(TOPIC, headers, bytes("plain text"));

        assertThat(value).isEqualTo("plain text");
        assertThat(names(headers)).containsExactly("tenant");
        assertThat(deserializer.deserialize(TOPIC, new RecordHeaders(), (byte[]) null)).isNull();
    }

    @Test
    void theDispatcherReadsAHandedOverContextOnlyWhenTheHeadersCarryNone() throws Exception {
        List<String> values = new ArrayList<>();
        List<SpanContext> inHandler = new ArrayList<>();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder("com.example.Orders",
                        "billing", telemetry.options().build())
                .route(TOPIC, record -> {
                    inHandler.add(Span.current().getSpanContext());
                    values.add(record.value());
                })
                .build();
        String headerTraceparent = "00-11111111111111111111111111111111-2222222222222222-01";

        dispatcher.handle(deserialized("{\"id\":\"o-1\",\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"}}",
                null));
        dispatcher.handle(deserialized("{\"id\":\"o-2\",\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"}}",
                headerTraceparent));
        dispatcher.handle(deserialized("{\"id\":\"o-3\",\"trace_context\":\"garbage\"}", null));

        assertThat(values).containsExactly("{\"id\":\"o-1\"}", "{\"id\":\"o-2\"}", "{\"id\":\"o-3\"}");
        List<SpanData> spans = telemetry.spans("process " + TOPIC);
        assertThat(spans.get(0)).hasTraceId("0af7651916cd43dd8448eb211c80319c").hasParentSpanId("b7ad6b7169203331");
        assertThat(spans.get(1)).as("the header wins").hasTraceId("11111111111111111111111111111111")
                .hasParentSpanId("2222222222222222");
        assertThat(spans.get(2).getParentSpanContext().isValid()).as("a malformed field: a new trace").isFalse();
        assertThat(inHandler).containsExactly(spans.get(0).getSpanContext(), spans.get(1).getSpanContext(),
                spans.get(2).getSpanContext());
    }

    /**
     * KafkaProducer serializes with the record's own headers; MockProducer gives its serializers
     * empty ones, so the wrapped serializer runs here on the sent record's headers as KafkaProducer
     * would run it (the sample's real-broker tests run it in KafkaProducer).
     */
    @Test
    void thePublisherHandsTheContextToTheSerializerWhichEmbedsIt() throws Exception {
        Serializer<String> serializer = KafkaPayloadCarrier.serializer(ENVELOPE, new StringSerializer());
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer,
                telemetry.options().payloadCarrier(ENVELOPE.embedOnPublish(true)).build()).sender(TOPIC);
        try (LogCapture ignored = LogCapture.of(KafkaSender.class, Level.WARNING)) {
            sender.sendAndWait(sender.record("k", "{\"id\":\"o-1\"}"));
        }

        ProducerRecord<String, String> sent = producer.history().get(0);
        Headers headers = new RecordHeaders(sent.headers().toArray());
        byte[] value = serializer.serialize(TOPIC, headers, sent.value());

        SpanData send = telemetry.spans("send " + TOPIC).get(0);
        String traceparent = "00-" + send.getTraceId() + "-" + send.getSpanId() + "-"
                + send.getSpanContext().getTraceFlags().asHex();
        assertThat(new String(value, UTF_8))
                .isEqualTo("{\"data\":{\"id\":\"o-1\"},\"trace_context\":{\"traceparent\":\"" + traceparent + "\"}}");
        assertThat(names(headers)).as("the hand-over headers are gone").containsExactly("traceparent");
        assertThat(KafkaHeaders.lastString(headers, "traceparent")).isEqualTo(traceparent);
    }

    @Test
    void aProducerWhoseSerializerIsNotWrappedIsWarnedAboutOnce() {
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer());
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer,
                telemetry.options().embedContextInPayload(true).build()).sender(TOPIC);
        try (LogCapture log = LogCapture.of(KafkaSender.class, Level.WARNING)) {
            Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
            try (var ignored = Context.current().with(caller).makeCurrent()) {
                sender.sendAndForget(sender.record("k", "{}"));
                sender.sendAndForget(sender.record("k", "{}"));
            } finally {
                caller.end();
            }

            assertThat(log.records()).filteredOn(record -> record.getLevel() == Level.WARNING).hasSize(1)
                    .first().satisfies(record -> assertThat(record.getMessage()).contains("KafkaPayloadCarrier.serializer"));
        }
    }

    /** A record as the consumer makes it: the wrapped deserializer ran on its value and headers. */
    private ConsumerRecord<String, String> deserialized(String value, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add("traceparent", bytes(traceparent));
        }
        String deserialized = deserializer.deserialize(TOPIC, headers, bytes(value));
        return new ConsumerRecord<>(TOPIC, 0, 0L, 0L, TimestampType.CREATE_TIME, 0, value.length(), "k", deserialized,
                headers, Optional.empty());
    }

    private static List<String> names(Headers headers) {
        List<String> names = new ArrayList<>();
        for (Header header : headers) {
            names.add(header.key());
        }
        return names;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }
}
