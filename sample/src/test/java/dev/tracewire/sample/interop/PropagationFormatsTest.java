package dev.tracewire.sample.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Propagation formats by configuration, on the real broker and server: the propagators of the
 * {@code OpenTelemetry} given to the generated clients decide what travels, so B3 (single and
 * multi header), Jaeger ({@code uber-trace-id} and its {@code uberctx-} baggage), W3C with baggage
 * and the context-propagation seed's composite (W3C and B3 multi header) all carry the trace from a
 * generated publisher to a generated consumer, and the message carries each header its format
 * writes exactly once, with the send span's context. A message from a producer that writes B3 only
 * continues its trace in a consumer configured with the seed's composite; and when such a record is
 * dead-lettered with its headers, tracewire's injection replaces the B3 headers it came with
 * instead of adding a second set.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
class PropagationFormatsTest {

    /** The formats, as a service configures its propagators. */
    @SuppressWarnings("deprecation") // JaegerPropagator is deprecated upstream; Jaeger-native services still speak it
    enum Format {
        B3_SINGLE(B3Propagator.injectingSingleHeader(), false),
        B3_MULTI(B3Propagator.injectingMultiHeaders(), false),
        JAEGER(JaegerPropagator.getInstance(), true),
        W3C_WITH_BAGGAGE(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                W3CBaggagePropagator.getInstance()), true),
        SEED_COMPOSITE(TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(),
                B3Propagator.injectingMultiHeaders()), false);

        final TextMapPropagator propagator;
        final boolean carriesBaggage;

        Format(TextMapPropagator propagator, boolean carriesBaggage) {
            this.propagator = propagator;
            this.carriesBaggage = carriesBaggage;
        }
    }

    private static final Baggage BAGGAGE = Baggage.builder().put("tenant", "acme").build();
    private static final String B3_TRACE_ID = "463ac35c9f6413ad48485a3953bb6124";
    private static final String B3_SPAN_ID = "a2fb4a1d1a96d312";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final List<OpenTelemetrySdk> sdks = new ArrayList<>();
    private final String run = "f" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeSdks() {
        sdks.forEach(OpenTelemetrySdk::close);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void kafka(Format format, EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(FormatInterfaces.TOPIC, 1);
        OpenTelemetrySdk sdk = sdk(format.propagator);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(sdk).build();
        String key = run + "-" + format;
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        FormatInterfaces.KafkaIn handler = (k, text) -> {
            if (k.equals(key)) {
                handled.complete(Handled.now());
            }
        };
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> raw = new KafkaConsumer<>(kafka.consumerConfig("formats-raw-" + key),
                        new StringDeserializer(), new StringDeserializer());
                Subscription subscription = new TracedFormatInterfaces_KafkaIn(handler, options).start(
                        new KafkaConsumer<>(kafka.consumerConfig("formats-" + key), new StringDeserializer(),
                                new StringDeserializer()))) {
            raw.subscribe(List.of(FormatInterfaces.TOPIC));
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = Context.current().with(caller).with(BAGGAGE).makeCurrent()) {
                new TracedFormatInterfaces_KafkaOut(producer, options).send(key, "hello");
            } finally {
                caller.end();
            }
            Map<String, List<String>> headers = kafkaHeaders(raw, key);
            assertHop(format, caller, handled.get(30, TimeUnit.SECONDS), headers);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void nats(Format format, NatsServerProcess nats) throws Exception {
        OpenTelemetrySdk sdk = sdk(format.propagator);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(sdk).build();
        String text = run + "-" + format;
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        CompletableFuture<Headers> received = new CompletableFuture<>();
        FormatInterfaces.NatsIn handler = message -> {
            if (message.equals(text)) {
                handled.complete(Handled.now());
            }
        };
        Connection connection = Nats.connect(nats.url());
        try (Subscription subscription = new TracedFormatInterfaces_NatsIn(handler, options).start(connection)) {
            Dispatcher raw = connection.createDispatcher(message -> {
                if (new String(message.getData(), StandardCharsets.UTF_8).equals(text)) {
                    received.complete(message.getHeaders());
                }
            });
            raw.subscribe(FormatInterfaces.SUBJECT);
            connection.flush(Duration.ofSeconds(5));
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = Context.current().with(caller).with(BAGGAGE).makeCurrent()) {
                new TracedFormatInterfaces_NatsOut(connection, options).publish(text);
            } finally {
                caller.end();
            }
            Headers headers = received.get(30, TimeUnit.SECONDS);
            Map<String, List<String>> byName = new HashMap<>();
            headers.keySet().forEach(name -> byName.put(name, headers.get(name)));
            assertHop(format, caller, handled.get(30, TimeUnit.SECONDS), byName);
        } finally {
            connection.close();
        }
    }

    @Test
    void aKafkaRecordFromAB3OnlyProducerContinuesItsTraceWithTheSeedsComposite(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(FormatInterfaces.TOPIC, 1);
        OpenTelemetrySdk sdk = sdk(Format.SEED_COMPOSITE.propagator);
        String key = run + "-b3-only";
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        FormatInterfaces.KafkaIn handler = (k, text) -> {
            if (k.equals(key)) {
                handled.complete(Handled.now());
            }
        };
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer());
                Subscription subscription = new TracedFormatInterfaces_KafkaIn(handler,
                        TracewireOptions.builder().openTelemetry(sdk).build()).start(new KafkaConsumer<>(
                                kafka.consumerConfig("formats-" + key), new StringDeserializer(),
                                new StringDeserializer()))) {
            RecordHeaders headers = new RecordHeaders();
            b3Headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(FormatInterfaces.TOPIC, null, key, "from a B3 service", headers))
                    .get(30, TimeUnit.SECONDS);
            assertContinuesB3(handled.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aDeadLetterCarriesEachHeaderOfTheFormatOnceThoughTheRecordCameWithThem(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(FormatInterfaces.REJECTED_TOPIC, 1);
        kafka.createTopic(FormatInterfaces.REJECTED_TOPIC + ".DLT", 1);
        OpenTelemetrySdk sdk = sdk(Format.SEED_COMPOSITE.propagator);
        String key = run + "-rejected";
        FormatInterfaces.KafkaRejecting handler = (k, text) -> {
            throw new IllegalStateException("rejected");
        };
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer());
                KafkaProducer<byte[], byte[]> deadLetters = new KafkaProducer<>(kafka.producerConfig(),
                        new ByteArraySerializer(), new ByteArraySerializer());
                KafkaConsumer<String, String> raw = new KafkaConsumer<>(kafka.consumerConfig("formats-raw-" + key),
                        new StringDeserializer(), new StringDeserializer());
                Subscription subscription = new TracedFormatInterfaces_KafkaRejecting(handler,
                        TracewireOptions.builder().openTelemetry(sdk).errorPolicy(ErrorPolicy.deadLetter())
                                .with(KafkaOptions.builder().deadLetters(KafkaDeadLetters.to(deadLetters)
                                        .serializers(new StringSerializer(), new StringSerializer())).build())
                                .build())
                        .start(new KafkaConsumer<>(kafka.consumerConfig("formats-" + key), new StringDeserializer(),
                                new StringDeserializer()))) {
            raw.subscribe(List.of(FormatInterfaces.REJECTED_TOPIC + ".DLT"));
            RecordHeaders headers = new RecordHeaders();
            b3Headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(FormatInterfaces.REJECTED_TOPIC, null, key, "from a B3 service",
                    headers)).get(30, TimeUnit.SECONDS);
            Map<String, List<String>> deadLetter = kafkaHeaders(raw, key);

            SpanData process = awaitSpan(B3_TRACE_ID, SpanKind.CONSUMER);
            SpanData send = awaitSpan(B3_TRACE_ID, SpanKind.PRODUCER);
            assertThat(process.getParentSpanId()).as("parent of the failed process span").isEqualTo(B3_SPAN_ID);
            assertThat(send.getParentSpanId()).as("parent of the dead letter's span").isEqualTo(process.getSpanId());
            Map<String, String> expected = new HashMap<>();
            Format.SEED_COMPOSITE.propagator.inject(Context.root().with(Span.wrap(send.getSpanContext())), expected,
                    Map::put);
            assertThat(expected).containsKeys("traceparent", "X-B3-TraceId", "X-B3-SpanId");
            expected.forEach((name, value) -> assertThat(deadLetter.get(name)).as("dead letter's header %s", name)
                    .containsExactly(value));
        }
    }

    @Test
    void aNatsMessageFromAB3OnlyPublisherContinuesItsTraceWithTheSeedsComposite(NatsServerProcess nats)
            throws Exception {
        OpenTelemetrySdk sdk = sdk(Format.SEED_COMPOSITE.propagator);
        String text = run + "-b3-only";
        CompletableFuture<Handled> handled = new CompletableFuture<>();
        FormatInterfaces.NatsIn handler = message -> {
            if (message.equals(text)) {
                handled.complete(Handled.now());
            }
        };
        Connection connection = Nats.connect(nats.url());
        try (Subscription subscription = new TracedFormatInterfaces_NatsIn(handler,
                TracewireOptions.builder().openTelemetry(sdk).build()).start(connection)) {
            connection.flush(Duration.ofSeconds(5));
            Headers headers = new Headers();
            b3Headers().forEach(headers::put);
            connection.publish(FormatInterfaces.SUBJECT, headers, text.getBytes(StandardCharsets.UTF_8));
            assertContinuesB3(handled.get(30, TimeUnit.SECONDS));
        } finally {
            connection.close();
        }
    }

    /**
     * The send span is the caller's child, the process span the send span's, the handler ran in it
     * (with the caller's baggage where the format carries baggage), and the message carried each
     * header the format writes once, with the send span's context.
     */
    private void assertHop(Format format, Span caller, Handled handled, Map<String, List<String>> headers)
            throws InterruptedException {
        String traceId = caller.getSpanContext().getTraceId();
        SpanData send = awaitSpan(traceId, SpanKind.PRODUCER);
        SpanData process = awaitSpan(traceId, SpanKind.CONSUMER);
        assertThat(send.getParentSpanId()).as("parent of the send span").isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(process.getParentSpanId()).as("parent of the process span").isEqualTo(send.getSpanId());
        assertThat(handled.span()).as("the span current in the handler").isEqualTo(process.getSpanContext());
        assertThat(handled.tenant()).as("baggage in the handler").isEqualTo(format.carriesBaggage ? "acme" : null);

        Map<String, String> expected = new HashMap<>();
        format.propagator.inject(Context.root().with(Span.wrap(send.getSpanContext())).with(BAGGAGE), expected,
                Map::put);
        assertThat(expected).as("what %s writes", format).isNotEmpty();
        expected.forEach((name, value) -> assertThat(headers.get(name)).as("header %s", name).containsExactly(value));
    }

    private void assertContinuesB3(Handled handled) throws InterruptedException {
        SpanData process = awaitSpan(B3_TRACE_ID, SpanKind.CONSUMER);
        assertThat(process.getParentSpanId()).as("parent of the process span").isEqualTo(B3_SPAN_ID);
        assertThat(handled.span()).as("the span current in the handler").isEqualTo(process.getSpanContext());
    }

    /** What a service that writes B3 only (multi header) puts on its messages. */
    private static Map<String, String> b3Headers() {
        return Map.of("X-B3-TraceId", B3_TRACE_ID, "X-B3-SpanId", B3_SPAN_ID, "X-B3-Sampled", "1");
    }

    private static Map<String, List<String>> kafkaHeaders(KafkaConsumer<String, String> raw, String key) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : raw.poll(Duration.ofMillis(100))) {
                if (key.equals(record.key())) {
                    Map<String, List<String>> headers = new HashMap<>();
                    record.headers().forEach(header -> headers.computeIfAbsent(header.key(), name -> new ArrayList<>())
                            .add(new String(header.value(), StandardCharsets.UTF_8)));
                    return headers;
                }
            }
        }
        throw new AssertionError("the record " + key + " did not arrive in 30 s");
    }

    private SpanData awaitSpan(String traceId, SpanKind kind) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<SpanData> found;
        do {
            found = exporter.getFinishedSpanItems().stream()
                    .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == kind).toList();
            if (!found.isEmpty()) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(found).as("%s spans of trace %s", kind, traceId).hasSize(1);
        return found.get(0);
    }

    private OpenTelemetrySdk sdk(TextMapPropagator propagator) {
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(propagator))
                .build();
        sdks.add(sdk);
        return sdk;
    }

    /** What the handler saw: the current span and the baggage's tenant. */
    private record Handled(SpanContext span, String tenant) {
        static Handled now() {
            return new Handled(Span.current().getSpanContext(), Baggage.current().getEntryValue("tenant"));
        }
    }
}
