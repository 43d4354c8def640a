package dev.tracewire.sample.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.LegacyCorrelationPropagator;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ingestion service's legacy correlation (a UUID {@code trace_id}, the
 * {@code services_encountered} chain and {@code producer_service} as Kafka headers), on the real
 * broker: a service migrating to OpenTelemetry runs W3C trace context with
 * {@link LegacyCorrelationPropagator} composed after it. A record from the ingestion service (a
 * plain producer writing those headers, as the Python service does) is handled in the trace whose
 * id is the UUID's bits, with the chain in the handler's context; what the handler sends on
 * carries the same UUID, the chain with this service appended, this service as producer, and W3C
 * headers of its send span, each once, for a consumer still on the legacy headers. The HTTP-style
 * names are read the same way.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
class LegacyCorrelationTest {

    private static final String SERVICE = "minicpm-vision";
    private static final TextMapPropagator MIGRATING = TextMapPropagator.composite(
            W3CTraceContextPropagator.getInstance(),
            LegacyCorrelationPropagator.builder().serviceName(SERVICE).build());

    private final RecordingSdk recording = new RecordingSdk(MIGRATING);
    private final String run = "l" + UUID.randomUUID().toString().substring(0, 8);

    /** What the handler saw: the span current in it and the legacy chain in its context. */
    record Handled(SpanContext span, List<String> chain) {
        static Handled now() {
            return new Handled(Span.current().getSpanContext(),
                    LegacyCorrelationPropagator.servicesEncountered(Context.current()));
        }
    }

    @AfterEach
    void closeSdk() {
        recording.close();
    }

    @Test
    void aRecordOfTheIngestionServiceContinuesItsTraceAndWhatIsSentOnCarriesItToALegacyConsumer(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(LegacyInterfaces.INGESTED, 1);
        kafka.createTopic(LegacyInterfaces.ENRICHED, 1);
        UUID traceId = UUID.randomUUID();
        String hex = traceId.toString().replace("-", "");
        String key = run + "-gps";
        TracewireOptions options = recording.options().build();
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        try (KafkaProducer<String, String> ingestion = stringProducer(kafka);
                KafkaProducer<String, String> enrichedProducer = stringProducer(kafka);
                KafkaConsumer<String, String> legacyConsumer = stringConsumer(kafka, "legacy-peer-" + run)) {
            LegacyInterfaces.EnrichedOut enriched = new TracedLegacyInterfaces_EnrichedOut(enrichedProducer, options);
            legacyConsumer.subscribe(List.of(LegacyInterfaces.ENRICHED));
            try (Subscription subscription = new TracedLegacyInterfaces_IngestedIn((k, reading) -> {
                handled.complete(Handled.now());
                enriched.send(k, reading + ", enriched");
            }, options).start(stringConsumer(kafka, "legacy-" + run))) {
                ProducerRecord<String, String> record = new ProducerRecord<>(LegacyInterfaces.INGESTED, key,
                        "{\"latitude\":40.7128}");
                record.headers().add("trace_id", traceId.toString().getBytes(UTF_8))
                        .add("services_encountered", "client-app,api-gateway,ingestion-api".getBytes(UTF_8))
                        .add("producer_service", "ingestion-api".getBytes(UTF_8));
                ingestion.send(record).get(30, TimeUnit.SECONDS);

                Handled inHandler = handled.get(30, TimeUnit.SECONDS);
                SpanData process = recording.awaitSpan("the process span",
                        span -> span.getName().equals("process " + LegacyInterfaces.INGESTED));
                assertThat(process.getTraceId()).as("the UUID's bits").isEqualTo(hex);
                assertThat(process.getParentSpanId()).as("the stand-in parent: the UUID's last 64 bits")
                        .isEqualTo(hex.substring(16));
                assertThat(inHandler.span()).isEqualTo(process.getSpanContext());
                assertThat(inHandler.chain()).containsExactly("client-app", "api-gateway", "ingestion-api");

                Map<String, List<String>> sentOn = headers(legacyConsumer, key);
                SpanData send = recording.awaitSpan("the send span",
                        span -> span.getName().equals("send " + LegacyInterfaces.ENRICHED));
                assertThat(send.getParentSpanId()).isEqualTo(process.getSpanId());
                assertThat(sentOn.get("trace_id")).as("the same UUID").containsExactly(traceId.toString());
                assertThat(sentOn.get("services_encountered"))
                        .containsExactly("client-app,api-gateway,ingestion-api," + SERVICE);
                assertThat(sentOn.get("producer_service")).containsExactly(SERVICE);
                assertThat(sentOn.get("traceparent")).containsExactly("00-" + hex + "-" + send.getSpanId() + "-"
                        + send.getSpanContext().getTraceFlags().asHex());
                assertThat(recording.counted(LegacyInterfaces.INGESTED, "legacy")).isEqualTo(1);
                assertThat(recording.counted(LegacyInterfaces.INGESTED)).isEqualTo(1);
            }
        }
    }

    @Test
    void aGeneratedPublisherWritesTheLegacyHeadersOfItsTraceAndAMalformedUuidStartsANewOne(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(LegacyInterfaces.MALFORMED, 1);
        kafka.createTopic(LegacyInterfaces.ENRICHED, 1);
        TracewireOptions options = recording.options().build();
        String key = run + "-published";
        String malformedKey = run + "-malformed";
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        try (KafkaProducer<String, String> producer = stringProducer(kafka);
                KafkaConsumer<String, String> legacyConsumer = stringConsumer(kafka, "legacy-peer-" + run);
                Subscription subscription = new TracedLegacyInterfaces_MalformedIn((k, reading) -> {
                    if (k.equals(malformedKey)) {
                        handled.complete(Handled.now());
                    }
                }, options).start(stringConsumer(kafka, "legacy-" + run))) {
            legacyConsumer.subscribe(List.of(LegacyInterfaces.ENRICHED));
            Span caller = recording.tracer().spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                new TracedLegacyInterfaces_EnrichedOut(producer, options).send(key, "reading");
            } finally {
                caller.end();
            }
            ProducerRecord<String, String> malformed = new ProducerRecord<>(LegacyInterfaces.MALFORMED, malformedKey,
                    "reading");
            malformed.headers().add("trace_id", "12345678-1234-4000-8000-12345678901Z".getBytes(UTF_8))
                    .add("services_encountered", "ingestion-api".getBytes(UTF_8));
            producer.send(malformed).get(30, TimeUnit.SECONDS);

            Map<String, List<String>> sent = headers(legacyConsumer, key);
            String hex = caller.getSpanContext().getTraceId();
            assertThat(sent.get("trace_id")).containsExactly(hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-"
                    + hex.substring(12, 16) + "-" + hex.substring(16, 20) + "-" + hex.substring(20));
            assertThat(UUID.fromString(sent.get("trace_id").get(0)).toString().replace("-", "")).isEqualTo(hex);
            assertThat(sent.get("services_encountered")).containsExactly(SERVICE);
            assertThat(sent.get("producer_service")).containsExactly(SERVICE);

            Handled inHandler = handled.get(30, TimeUnit.SECONDS);
            SpanData process = recording.awaitSpan("the malformed record's process span",
                    span -> span.getSpanId().equals(inHandler.span().getSpanId()));
            assertThat(process.getParentSpanContext().isValid()).as("a new trace").isFalse();
            assertThat(inHandler.chain()).containsExactly("ingestion-api");
            assertThat(recording.counted(LegacyInterfaces.MALFORMED, "invalid")).isEqualTo(1);
        }
    }

    @Test
    void httpStyleNamesOnANatsMessageContinueTheTrace(NatsServerProcess nats) throws Exception {
        UUID traceId = UUID.randomUUID();
        String hex = traceId.toString().replace("-", "");
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        Connection connection = Nats.connect(nats.url());
        try (Subscription subscription = new TracedLegacyInterfaces_HttpStyleIn(reading -> handled.complete(
                Handled.now()), recording.options().build()).start(connection)) {
            connection.flush(Duration.ofSeconds(5));
            connection.publish(LegacyInterfaces.HTTP_STYLE, new Headers().put("X-Trace-ID", traceId.toString())
                    .put("X-Services-Encountered", "client-app,api-gateway"), "reading".getBytes(UTF_8));

            Handled inHandler = handled.get(30, TimeUnit.SECONDS);
            SpanData process = recording.awaitSpan("the process span", span -> span.getKind() == SpanKind.CONSUMER);
            assertThat(process.getTraceId()).isEqualTo(hex);
            assertThat(process.getParentSpanId()).isEqualTo(hex.substring(16));
            assertThat(inHandler.span()).isEqualTo(process.getSpanContext());
            assertThat(inHandler.chain()).containsExactly("client-app", "api-gateway");
            assertThat(recording.counted(LegacyInterfaces.HTTP_STYLE, "legacy")).isEqualTo(1);
        } finally {
            connection.close();
        }
    }

    private static KafkaProducer<String, String> stringProducer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> stringConsumer(EmbeddedKafka kafka, String group) {
        return new KafkaConsumer<>(kafka.consumerConfig(group), new StringDeserializer(), new StringDeserializer());
    }

    /** The headers of the record with {@code key}, each name with its values in order. */
    private static Map<String, List<String>> headers(KafkaConsumer<String, String> consumer, String key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (key.equals(record.key())) {
                    Map<String, List<String>> headers = new HashMap<>();
                    record.headers().forEach(header -> headers.computeIfAbsent(header.key(), name -> new ArrayList<>())
                            .add(new String(header.value(), UTF_8)));
                    return headers;
                }
            }
        }
        throw new AssertionError("the record " + key + " did not arrive in 30 s");
    }
}
