package dev.tracewire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.AgentInstrumentation;
import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.Codecs;
import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.LegacyCorrelationPropagator;
import dev.tracewire.runtime.PayloadCarrier;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.runtime.kafka.KafkaPayloadCarrier;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.detector.AnomalyEvents;
import dev.tracewire.sample.detector.Detector;
import dev.tracewire.sample.detector.TracedAnomalyEvents;
import dev.tracewire.sample.detector.TracedReadingHandler;
import dev.tracewire.sample.model.Anomaly;
import dev.tracewire.sample.model.JsonSerde;
import dev.tracewire.sample.model.Reading;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's snippets that are not part of the sample's services, run: each region between
 * {@code // README:} markers is what the README shows ({@link ReadmeTest} checks that), and each test
 * checks that it does what the README says, defaults included.
 */
@SuppressWarnings("try")
class ReadmeSnippetsTest {

    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @AfterEach
    void closeSdk() {
        openTelemetry.close();
    }

    @Test
    void aLoopOfYourOwnHandsEachRecordToTheGeneratedHandle() {
        TracewireOptions options = TracewireOptions.builder().openTelemetry(openTelemetry).build();
        MockProducer<String, Anomaly> producer = new MockProducer<>(true, null, new StringSerializer(),
                JsonSerde.serializer());
        AnomalyEvents anomalies = new TracedAnomalyEvents(producer, options);
        TopicPartition partition = new TopicPartition("sensor.readings", 0);
        MockConsumer<String, Reading> consumer = new MockConsumer<>("earliest");
        consumer.assign(List.of(partition));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        headers.add("tenant", "acme-foods".getBytes(StandardCharsets.UTF_8));
        consumer.addRecord(new ConsumerRecord<>("sensor.readings", 0, 0, 0L, TimestampType.CREATE_TIME, -1, -1,
                "pump-1.vibration", new Reading("pump-1.vibration", "pump-1", "vibration", 9.9, 0L), headers,
                Optional.empty()));

        // README: your own loop
        TracedReadingHandler detector = new TracedReadingHandler(new Detector(anomalies), options);
        for (ConsumerRecord<String, Reading> record : consumer.poll(Duration.ofMillis(100))) {
            detector.handle(record); // inside the record's CONSUMER span, which continues its trace
        }
        consumer.commitSync();
        // README: end

        List<SpanData> spans = exporter.getFinishedSpanItems();
        SpanData process = spans.stream().filter(span -> span.getName().equals("process sensor.readings"))
                .findFirst().orElseThrow();
        assertThat(process.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(process.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        assertThat(spans).filteredOn(span -> span.getName().equals("send sensor.anomalies")).singleElement()
                .satisfies(send -> assertThat(send.getParentSpanId()).isEqualTo(process.getSpanId()));
        assertThat(producer.history()).singleElement().satisfies(record -> assertThat(record.key()).isEqualTo("pump-1"));
        assertThat(consumer.committed(Set.of(partition)).get(partition).offset()).isEqualTo(1);
    }

    @Test
    void everyOptionAndItsDefault() {
        Codec<Reading> readingCodec = Codecs.json(Reading.class);
        // README: options
        TracewireOptions options = TracewireOptions.builder()
                .openTelemetry(openTelemetry)          // default: the global one, never fixed to a no-op by tracewire
                .errorPolicy(ErrorPolicy.retry(5, Duration.ofMillis(200), Duration.ofSeconds(5))
                        .thenSkip())                   // default: ErrorPolicy.defaults(), retrying forever
                .captureBodySize(true)                 // default: false
                .captureHeaders("tenant")              // default: none
                .logCorrelation(true)                  // default: true, trace ids in the SLF4J MDC of handlers
                .payloadCarrier(PayloadCarrier.envelope().embedOnPublish(true)) // default: _otel_trace_headers, read only
                .with(KafkaOptions.builder()           // Kafka's own settings
                        .captureMessageKey(false)      // default: true
                        .pollTimeout(Duration.ofMillis(100))   // default: 100 ms
                        .closeTimeout(Duration.ofSeconds(10))  // default: 10 s, the longest close() takes
                        .agentInstrumentation(AgentInstrumentation.DETECT) // default: DETECT
                        .build())
                .with(NatsOptions.builder()            // NATS's own settings
                        .requestTimeout(Duration.ofSeconds(5)) // default: 5 s
                        .closeTimeout(Duration.ofSeconds(10))  // default: 10 s, the longest close() takes
                        .codec(Reading.class, readingCodec)    // default: byte[], String, else JSON with Jackson
                        .batchSize(100)                        // default: 100, the most messages a batch method gets
                        .batchMaxWait(Duration.ofMillis(100))  // default: 100 ms, how long a fetch waits to fill a batch
                        .build())
                .build();
        // README: end

        assertThat(options.openTelemetry()).isSameAs(openTelemetry);
        assertThat(options.errorPolicy().maxAttempts()).isEqualTo(5);
        assertThat(options.captureBodySize()).isTrue();
        assertThat(options.capturedHeaders()).containsExactly("tenant");
        assertThat(KafkaOptions.of(options).captureMessageKey()).isFalse();
        assertThat(NatsOptions.of(options).codecFor(Reading.class)).isSameAs(readingCodec);

        TracewireOptions defaults = TracewireOptions.defaults();
        assertThat(defaults.usesGlobalOpenTelemetry()).isTrue();
        assertThat(defaults.errorPolicy().retriesForever()).isTrue();
        assertThat(defaults.captureBodySize()).isFalse();
        assertThat(defaults.capturedHeaders()).isEmpty();
        assertThat(defaults.logCorrelation()).isTrue();
        assertThat(defaults.payloadContextField()).isEqualTo("_otel_trace_headers");
        assertThat(defaults.embedContextInPayload()).isFalse();
        KafkaOptions kafka = KafkaOptions.of(defaults);
        assertThat(kafka.captureMessageKey()).isTrue();
        assertThat(kafka.pollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(kafka.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(kafka.agentInstrumentation()).isEqualTo(AgentInstrumentation.DETECT);
        assertThat(kafka.deadLetters()).isEmpty();
        NatsOptions nats = NatsOptions.of(defaults);
        assertThat(nats.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(nats.closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(nats.batchSize()).isEqualTo(100);
        assertThat(nats.batchMaxWait()).isEqualTo(Duration.ofMillis(100));
        assertThat(nats.agentInstrumentation()).isEqualTo(AgentInstrumentation.DETECT);
        assertThat(nats.deadLetters()).isEmpty();
    }

    @Test
    void deadLetterDestinationsAndTheirDefaults() {
        MockProducer<byte[], byte[]> bytesProducer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        // README: dead letters
        TracewireOptions options = TracewireOptions.builder()
                .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(200), Duration.ofSeconds(5)).thenDeadLetter())
                .with(KafkaOptions.builder()
                        .deadLetters(KafkaDeadLetters.to(bytesProducer)      // your Producer<byte[], byte[]>
                                .serializers(new StringSerializer(), JsonSerde.serializer())) // as your deserializers read
                        .build())
                .with(NatsOptions.builder()
                        .deadLetters(NatsDeadLetters.toStream())             // JetStream, on dlq.<subject>
                        .build())
                .build();
        // README: end

        assertThat(options.errorPolicy().deadLetters()).isTrue();
        KafkaDeadLetters kafka = KafkaOptions.of(options).deadLetters().orElseThrow();
        assertThat(kafka.topicFor("sensor.readings")).isEqualTo("sensor.readings.DLT");
        assertThat(kafka.timeout()).isEqualTo(Duration.ofSeconds(30));
        NatsDeadLetters nats = NatsOptions.of(options).deadLetters().orElseThrow();
        assertThat(nats.subjectFor("alerts.enriched")).isEqualTo("dlq.alerts.enriched");
        assertThat(nats.jetStream()).isTrue();
        assertThat(nats.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aKafkaPayloadCarrierWrapsYourSerializers() {
        // README: kafka payload carrier
        PayloadCarrier carrier = PayloadCarrier.envelope().embedOnPublish(true);
        TracewireOptions options = TracewireOptions.builder().payloadCarrier(carrier).build();
        // the value (de)serializers of your KafkaConsumer<String, Reading> and KafkaProducer<String, Reading>:
        Deserializer<Reading> values = KafkaPayloadCarrier.deserializer(carrier, JsonSerde.deserializer(Reading.class));
        Serializer<Reading> valuesOut = KafkaPayloadCarrier.serializer(carrier, JsonSerde.serializer());
        // README: end

        assertThat(options.payloadCarrier()).isSameAs(carrier);
        RecordHeaders headers = new RecordHeaders();
        byte[] envelope = ("{\"data\": {\"sensorId\": \"pump-1.vibration\", \"assetId\": \"pump-1\", \"metric\":"
                + " \"vibration\", \"value\": 9.9, \"takenAt\": 0}, \"trace_context\": {\"traceparent\": \"" + TRACEPARENT
                + "\"}}").getBytes(StandardCharsets.UTF_8);
        Reading reading = values.deserialize("sensor.readings", headers, envelope);
        assertThat(reading).isEqualTo(new Reading("pump-1.vibration", "pump-1", "vibration", 9.9, 0L));
        assertThat(headers.lastHeader(KafkaPayloadCarrier.CONTEXT_HEADER)).as("handed to the generated consumer")
                .isNotNull();
        assertThat(new String(valuesOut.serialize("sensor.readings", new RecordHeaders(), reading),
                StandardCharsets.UTF_8)).as("without a send span's context there is nothing to embed")
                .startsWith("{\"sensorId\"");
    }

    @Test
    void theLegacyPropagatorBesideW3c() {
        SdkTracerProvider tracerProvider = SdkTracerProvider.builder().build();
        // README: legacy propagator
        TextMapPropagator propagator = TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                LegacyCorrelationPropagator.builder().serviceName("detector").build());
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(tracerProvider)
                .setPropagators(ContextPropagators.create(propagator))
                .build();
        // README: end

        try (sdk) {
            Span span = sdk.getTracer("test").spanBuilder("work").startSpan();
            Map<String, String> carrier = new HashMap<>();
            sdk.getPropagators().getTextMapPropagator().inject(Context.root().with(span), carrier, Map::put);
            span.end();
            String traceId = span.getSpanContext().getTraceId();
            assertThat(carrier.get("traceparent")).contains(traceId);
            assertThat(carrier.get("trace_id").replace("-", "")).isEqualTo(traceId);
            assertThat(carrier).containsEntry("producer_service", "detector")
                    .containsEntry("services_encountered", "detector");
        }
    }
}
