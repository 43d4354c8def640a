package dev.tracewire.sample.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.runtime.PayloadCarrier;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaPayloadCarrier;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.interop.CarrierInterfaces.Reading;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The context in JSON payloads, as the propagation-patterns seed's Python services put it, on the
 * real broker and server: a {@code trace_context} field beside the business fields, and the
 * envelope {@code {"data": {...}, "trace_context": {...}}}. A peer's plain producer (JSON strings,
 * no headers) reaches a generated consumer, whose own strict deserializer decodes every value (so
 * the field was gone) and whose handler runs in the trace the field carried; a header that carries
 * a valid context wins over the field; a field that holds no valid context starts a new trace and
 * never fails the decoding. A generated publisher embeds its send span's context in each shape for
 * a peer's plain consumer. Every message is counted by what carried its context.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
class PayloadCarrierInteropTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IdGenerator IDS = IdGenerator.random();
    private static final Reading READING = new Reading("s-1", 21.5);
    private static final String BUSINESS = "\"sensor\":\"s-1\",\"celsius\":21.5";
    /** What a peer may put in the context field besides an object holding a valid context. */
    private static final Map<String, String> MALFORMED = Map.of(
            "string", "\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"",
            "number", "42",
            "null", "null",
            "array", "[\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"]",
            "non-strings", "{\"traceparent\":7,\"tracestate\":{\"a\":\"b\"}}",
            "bad-traceparent", "{\"traceparent\":\"00-not-a-context-01\"}");

    private final RecordingSdk recording = new RecordingSdk(W3CTraceContextPropagator.getInstance());
    private final String run = "c" + UUID.randomUUID().toString().substring(0, 8);
    /** What the handlers got, by message key: the reading and the span current in the handler. */
    private final Map<String, List<Handled>> handled = new ConcurrentHashMap<>();

    record Handled(Reading reading, SpanContext span) {
    }

    @AfterEach
    void closeSdk() {
        recording.close();
    }

    @Test
    void aPeersFlatJsonContinuesTheFieldsTraceAndIsDecodedWithoutIt(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(CarrierInterfaces.FLAT_TOPIC, 1);
        PayloadCarrier carrier = PayloadCarrier.field("trace_context");
        Context field = new Context();
        Context header = new Context();
        Map<String, ProducerRecord<String, String>> sent = new LinkedHashMap<>();
        sent.put("valid", record(CarrierInterfaces.FLAT_TOPIC, "valid",
                "{" + BUSINESS + ",\"trace_context\":{\"traceparent\":\"" + field.traceparent() + "\"}}"));
        ProducerRecord<String, String> both = record(CarrierInterfaces.FLAT_TOPIC, "header",
                "{\"trace_context\":{\"traceparent\":\"" + new Context().traceparent() + "\"}," + BUSINESS + "}");
        both.headers().add("traceparent", header.traceparent().getBytes(UTF_8));
        sent.put("header", both);
        MALFORMED.forEach((shape, value) -> sent.put(shape, record(CarrierInterfaces.FLAT_TOPIC, shape,
                "{" + BUSINESS + ",\"trace_context\":" + value + "}")));
        sent.put("no-field", record(CarrierInterfaces.FLAT_TOPIC, "no-field", "{" + BUSINESS + "}"));

        try (Subscription subscription = new TracedCarrierInterfaces_FlatIn(this::handle,
                recording.options().payloadCarrier(carrier).build()).start(new KafkaConsumer<>(
                        kafka.consumerConfig("carrier-flat-" + run), new StringDeserializer(),
                        KafkaPayloadCarrier.deserializer(carrier, new CarrierInterfaces.ReadingDeserializer())))) {
            produce(kafka, sent.values());
            awaitHandled(sent.keySet());
        }

        sent.keySet().forEach(key -> assertThat(only(key).reading()).as("%s: decoded without the field", key)
                .isEqualTo(READING));
        assertContinues("valid", CarrierInterfaces.FLAT_TOPIC, field);
        assertContinues("header", CarrierInterfaces.FLAT_TOPIC, header);
        for (String key : List.of("string", "number", "null", "array", "non-strings", "bad-traceparent", "no-field")) {
            assertNewTrace(key, CarrierInterfaces.FLAT_TOPIC);
        }
        assertCounted(CarrierInterfaces.FLAT_TOPIC, 1, 1, MALFORMED.size(), 1);
    }

    @Test
    void aPeersEnvelopeContinuesItsTraceAndItsDataIsWhatIsDecoded(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(CarrierInterfaces.ENVELOPE_TOPIC, 1);
        PayloadCarrier carrier = PayloadCarrier.envelope();
        Context field = new Context();
        Context header = new Context();
        Map<String, ProducerRecord<String, String>> sent = new LinkedHashMap<>();
        sent.put("valid", record(CarrierInterfaces.ENVELOPE_TOPIC, "valid", "{\"data\": {" + BUSINESS
                + "}, \"trace_context\": {\"traceparent\": \"" + field.traceparent() + "\"}}"));
        ProducerRecord<String, String> both = record(CarrierInterfaces.ENVELOPE_TOPIC, "header",
                "{\"data\":{" + BUSINESS + "},\"trace_context\":{\"traceparent\":\"" + new Context().traceparent()
                        + "\"}}");
        both.headers().add("traceparent", header.traceparent().getBytes(UTF_8));
        sent.put("header", both);
        MALFORMED.forEach((shape, value) -> sent.put(shape, record(CarrierInterfaces.ENVELOPE_TOPIC, shape,
                "{\"data\":{" + BUSINESS + "},\"trace_context\":" + value + "}")));
        sent.put("no-context", record(CarrierInterfaces.ENVELOPE_TOPIC, "no-context", "{\"data\":{" + BUSINESS + "}}"));
        sent.put("not-enveloped", record(CarrierInterfaces.ENVELOPE_TOPIC, "not-enveloped", "{" + BUSINESS + "}"));

        try (Subscription subscription = new TracedCarrierInterfaces_EnvelopeIn(this::handle,
                recording.options().payloadCarrier(carrier).build()).start(new KafkaConsumer<>(
                        kafka.consumerConfig("carrier-envelope-" + run), new StringDeserializer(),
                        KafkaPayloadCarrier.deserializer(carrier, new CarrierInterfaces.ReadingDeserializer())))) {
            produce(kafka, sent.values());
            awaitHandled(sent.keySet());
        }

        sent.keySet().forEach(key -> assertThat(only(key).reading()).as("%s: its data decoded", key)
                .isEqualTo(READING));
        assertContinues("valid", CarrierInterfaces.ENVELOPE_TOPIC, field);
        assertContinues("header", CarrierInterfaces.ENVELOPE_TOPIC, header);
        for (String key : List.of("string", "number", "null", "array", "non-strings", "bad-traceparent", "no-context",
                "not-enveloped")) {
            assertNewTrace(key, CarrierInterfaces.ENVELOPE_TOPIC);
        }
        assertCounted(CarrierInterfaces.ENVELOPE_TOPIC, 1, 1, MALFORMED.size(), 2);
    }

    @Test
    void aGeneratedPublisherEmbedsItsSendSpanInEachShapeForAPeersPlainConsumer(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(CarrierInterfaces.OUT_TOPIC, 1);
        PayloadCarrier flat = PayloadCarrier.field("trace_context").embedOnPublish(true);
        PayloadCarrier envelope = PayloadCarrier.envelope().embedOnPublish(true);
        Span caller = recording.tracer().spanBuilder("caller").startSpan();
        try (KafkaProducer<String, Reading> flatProducer = producer(kafka, flat);
                KafkaProducer<String, Reading> envelopeProducer = producer(kafka, envelope);
                KafkaConsumer<String, String> peer = new KafkaConsumer<>(kafka.consumerConfig("carrier-peer-" + run),
                        new StringDeserializer(), new StringDeserializer())) {
            peer.subscribe(List.of(CarrierInterfaces.OUT_TOPIC));
            try (Scope ignored = caller.makeCurrent()) {
                new TracedCarrierInterfaces_KafkaOut(flatProducer, recording.options().payloadCarrier(flat).build())
                        .send(run + "-flat", READING);
                new TracedCarrierInterfaces_KafkaOut(envelopeProducer,
                        recording.options().payloadCarrier(envelope).build()).send(run + "-envelope", READING);
            } finally {
                caller.end();
            }
            Map<String, ConsumerRecord<String, String>> received = poll(peer, List.of(run + "-flat", run + "-envelope"));

            List<SpanData> sends = recording.spans().stream()
                    .filter(span -> span.getName().equals("send " + CarrierInterfaces.OUT_TOPIC)).toList();
            assertThat(sends).hasSize(2).allSatisfy(send -> assertThat(send.getParentSpanId())
                    .isEqualTo(caller.getSpanContext().getSpanId()));
            for (ConsumerRecord<String, String> record : received.values()) {
                String traceparent = header(record, "traceparent");
                SpanData send = sends.stream().filter(span -> traceparent.contains(span.getSpanId())).findFirst()
                        .orElseThrow(() -> new AssertionError("no send span for " + traceparent));
                assertThat(traceparent).isEqualTo(traceparent(send.getSpanContext()));
                assertThat(names(record)).as("only the propagation header travels").containsExactly("traceparent");
                JsonNode value = JSON.readTree(record.value());
                if (record.key().endsWith("-flat")) {
                    assertThat(value.get("sensor").asText()).isEqualTo("s-1");
                    assertThat(value.get("celsius").asDouble()).isEqualTo(21.5);
                    assertThat(value.get("trace_context").get("traceparent").asText()).isEqualTo(traceparent);
                    assertThat(value.size()).isEqualTo(3);
                } else {
                    assertThat(JSON.treeToValue(value.get("data"), Reading.class)).isEqualTo(READING);
                    assertThat(value.get("trace_context").get("traceparent").asText()).isEqualTo(traceparent);
                    assertThat(value.size()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void natsEnvelopesCarryTheTraceBothWays(NatsServerProcess nats) throws Exception {
        PayloadCarrier envelope = PayloadCarrier.envelope().embedOnPublish(true);
        TracewireOptions options = recording.options().payloadCarrier(envelope).build();
        Context field = new Context();
        List<Handled> got = new ArrayList<>();
        Connection connection = Nats.connect(nats.url());
        try (Subscription subscription = new TracedCarrierInterfaces_NatsIn(reading -> {
            synchronized (got) {
                got.add(new Handled(reading, Span.current().getSpanContext()));
            }
        }, options).start(connection)) {
            io.nats.client.Subscription peer = connection.subscribe(CarrierInterfaces.OUT_SUBJECT);
            connection.flush(Duration.ofSeconds(5));
            connection.publish(CarrierInterfaces.IN_SUBJECT, ("{\"data\":{" + BUSINESS + "},\"trace_context\":"
                    + "{\"traceparent\":\"" + field.traceparent() + "\"}}").getBytes(UTF_8));
            connection.publish(CarrierInterfaces.IN_SUBJECT, ("{\"data\":{" + BUSINESS + "},\"trace_context\":42}")
                    .getBytes(UTF_8));
            Span caller = recording.tracer().spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                new TracedCarrierInterfaces_NatsOut(connection, options).publish(READING);
            } finally {
                caller.end();
            }
            Message out = peer.nextMessage(Duration.ofSeconds(10));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (size(got) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            SpanData continued = recording.awaitSpan("the process span of the envelope's trace",
                    span -> span.getKind() == SpanKind.CONSUMER && span.getTraceId().equals(field.traceId));
            assertThat(continued.getParentSpanId()).isEqualTo(field.spanId);
            assertThat(got).extracting(Handled::reading).containsExactly(READING, READING);
            assertThat(got.get(0).span()).isEqualTo(continued.getSpanContext());
            assertThat(got.get(1).span().getTraceId()).as("a malformed context: a new trace")
                    .isNotEqualTo(field.traceId);
            SpanData second = recording.awaitSpan("the second process span",
                    span -> span.getSpanId().equals(got.get(1).span().getSpanId()));
            assertThat(second.getParentSpanContext().isValid()).isFalse();

            SpanData publish = recording.awaitSpan("the publish span",
                    span -> span.getName().equals("publish " + CarrierInterfaces.OUT_SUBJECT));
            assertThat(publish.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            Headers headers = out.getHeaders();
            assertThat(headers.get("traceparent")).containsExactly(traceparent(publish.getSpanContext()));
            JsonNode value = JSON.readTree(out.getData());
            assertThat(JSON.treeToValue(value.get("data"), Reading.class)).isEqualTo(READING);
            assertThat(value.get("trace_context").get("traceparent").asText())
                    .isEqualTo(traceparent(publish.getSpanContext()));
            assertThat(recording.counted(CarrierInterfaces.IN_SUBJECT, "payload")).isEqualTo(1);
            assertThat(recording.counted(CarrierInterfaces.IN_SUBJECT, "invalid")).isEqualTo(1);
        } finally {
            connection.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A context a peer carries: a trace and the id of the span it sent from. */
    private static final class Context {
        final String traceId = IDS.generateTraceId();
        final String spanId = IDS.generateSpanId();

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }
    }

    private void handle(String key, Reading reading) {
        handled.computeIfAbsent(key, k -> new ArrayList<>()).add(new Handled(reading, Span.current().getSpanContext()));
    }

    private ProducerRecord<String, String> record(String topic, String key, String value) {
        return new ProducerRecord<>(topic, run + "-" + key, value);
    }

    private static void produce(EmbeddedKafka kafka, Iterable<ProducerRecord<String, String>> records) throws Exception {
        try (KafkaProducer<String, String> peer = new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                new StringSerializer())) {
            for (ProducerRecord<String, String> record : records) {
                peer.send(record).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaProducer<String, Reading> producer(EmbeddedKafka kafka, PayloadCarrier carrier) {
        return new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(),
                KafkaPayloadCarrier.serializer(carrier, new CarrierInterfaces.ReadingSerializer()));
    }

    private void awaitHandled(Iterable<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String key : keys) {
            while (!handled.containsKey(run + "-" + key) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(handled).as("handled within 30 s").containsKey(run + "-" + key);
        }
    }

    private Handled only(String key) {
        assertThat(handled.get(run + "-" + key)).as("%s handled once", key).hasSize(1);
        return handled.get(run + "-" + key).get(0);
    }

    /** The message was handled in a process span that continues {@code carried}, and that span was current. */
    private void assertContinues(String key, String topic, Context carried) throws InterruptedException {
        SpanData process = processSpan(key, topic);
        assertThat(process.getTraceId()).as("%s: trace", key).isEqualTo(carried.traceId);
        assertThat(process.getParentSpanId()).as("%s: parent", key).isEqualTo(carried.spanId);
    }

    private void assertNewTrace(String key, String topic) throws InterruptedException {
        SpanData process = processSpan(key, topic);
        assertThat(process.getParentSpanContext().isValid()).as("%s: a new trace", key).isFalse();
    }

    private SpanData processSpan(String key, String topic) throws InterruptedException {
        SpanContext current = only(key).span();
        SpanData process = recording.awaitSpan("process span of " + key,
                span -> span.getSpanId().equals(current.getSpanId()));
        assertThat(process.getName()).isEqualTo("process " + topic);
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        return process;
    }

    private void assertCounted(String topic, long payload, long header, long invalid, long absent) {
        assertThat(recording.counted(topic, "payload")).as("payload").isEqualTo(payload);
        assertThat(recording.counted(topic, "header")).as("header").isEqualTo(header);
        assertThat(recording.counted(topic, "invalid")).as("invalid").isEqualTo(invalid);
        assertThat(recording.counted(topic, "absent")).as("absent").isEqualTo(absent);
    }

    private static Map<String, ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer,
            List<String> keys) {
        Map<String, ConsumerRecord<String, String>> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found.size() < keys.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (keys.contains(record.key())) {
                    found.put(record.key(), record);
                }
            }
        }
        assertThat(found).as("records within 30 s").containsOnlyKeys(keys);
        return found;
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), UTF_8);
    }

    private static List<String> names(ConsumerRecord<?, ?> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key()));
        return names;
    }

    private static String traceparent(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }

    private static int size(List<?> list) {
        synchronized (list) {
            return list.size();
        }
    }
}
