package dev.tracewire.sample.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.instrumentation.kafkaclients.v2_6.KafkaTelemetry;
import io.opentelemetry.instrumentation.nats.v2_17.NatsTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracewire and OpenTelemetry's library instrumentation in one service, on the real broker and
 * server, one SDK for both: {@code KafkaTelemetry} (opentelemetry-kafka-clients-2.6) wrapping a
 * producer and a consumer, {@code NatsTelemetry} (opentelemetry-nats-2.17) instrumenting a
 * connection. Each direction is one trace: the caller, the sender's PRODUCER span, the receiver's
 * CONSUMER span as its child, with the receiving code inside that span.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
class LibraryInstrumentationTest {

    static final String KAFKA_LIBRARY_SCOPE = "io.opentelemetry.kafka-clients-2.6";
    static final String NATS_LIBRARY_SCOPE = "io.opentelemetry.nats-2.17";
    static final String TRACEWIRE_SCOPE = AgentInteropTest.TRACEWIRE_SCOPE;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;
    private TracewireOptions options;

    @BeforeEach
    void createSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        options = TracewireOptions.builder().openTelemetry(sdk).build();
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @Test
    void kafkaTelemetryProducerToGeneratedConsumer(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(LibraryInterfaces.TO_TRACEWIRE, 1);
        CompletableFuture<SpanContext> handledIn = new CompletableFuture<>();
        LibraryInterfaces.KafkaIn handler = (key, text) -> handledIn.complete(Span.current().getSpanContext());
        KafkaTelemetry telemetry = KafkaTelemetry.create(sdk);
        try (Producer<String, String> producer = telemetry.wrap(new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer()));
                Subscription subscription = new TracedLibraryInterfaces_KafkaIn(handler, options).start(
                        new KafkaConsumer<>(kafka.consumerConfig("interop-library"), new StringDeserializer(),
                                new StringDeserializer()))) {
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                producer.send(new ProducerRecord<>(LibraryInterfaces.TO_TRACEWIRE, "k", "from the library"))
                        .get(30, TimeUnit.SECONDS);
            } finally {
                caller.end();
            }
            SpanContext handled = handledIn.get(30, TimeUnit.SECONDS);

            List<SpanData> trace = awaitTrace(caller, spans -> spans.size() >= 3);
            SpanData send = only(trace, SpanKind.PRODUCER);
            SpanData process = only(trace, SpanKind.CONSUMER);
            assertThat(send.getInstrumentationScopeInfo().getName()).isEqualTo(KAFKA_LIBRARY_SCOPE);
            assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(process.getInstrumentationScopeInfo().getName()).isEqualTo(TRACEWIRE_SCOPE);
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(handled).isEqualTo(process.getSpanContext());
        }
    }

    @Test
    void generatedPublisherToKafkaTelemetryConsumer(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(LibraryInterfaces.FROM_TRACEWIRE, 1);
        KafkaTelemetry telemetry = KafkaTelemetry.create(sdk);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer());
                Consumer<String, String> consumer = telemetry.wrap(new KafkaConsumer<>(
                        kafka.consumerConfig("interop-library-out"), new StringDeserializer(),
                        new StringDeserializer()))) {
            consumer.subscribe(List.of(LibraryInterfaces.FROM_TRACEWIRE));
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                new TracedLibraryInterfaces_KafkaOut(producer, options).send("k", "from tracewire");
            } finally {
                caller.end();
            }
            SpanContext handled = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (handled == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.value().equals("from tracewire")) {
                        handled = Span.current().getSpanContext();
                    }
                }
            }
            assertThat(handled).as("the record, read through the wrapped consumer").isNotNull();

            List<SpanData> trace = awaitTrace(caller, spans -> spans.size() >= 3);
            SpanData send = only(trace, SpanKind.PRODUCER);
            SpanData process = only(trace, SpanKind.CONSUMER);
            assertThat(send.getInstrumentationScopeInfo().getName()).isEqualTo(TRACEWIRE_SCOPE);
            assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(process.getInstrumentationScopeInfo().getName()).isEqualTo(KAFKA_LIBRARY_SCOPE);
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(handled).isEqualTo(process.getSpanContext());
        }
    }

    @Test
    void natsTelemetryPublisherToGeneratedConsumer(NatsServerProcess nats) throws Exception {
        CompletableFuture<SpanContext> handledIn = new CompletableFuture<>();
        LibraryInterfaces.NatsIn handler = text -> handledIn.complete(Span.current().getSpanContext());
        NatsTelemetry telemetry = NatsTelemetry.create(sdk);
        Connection plain = Nats.connect(nats.url());
        Connection instrumented = telemetry.newConnection(new Options.Builder().server(nats.url()).build(), Nats::connect);
        try (Subscription subscription = new TracedLibraryInterfaces_NatsIn(handler, options).start(plain)) {
            plain.flush(Duration.ofSeconds(5));
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                instrumented.publish(LibraryInterfaces.TO_TRACEWIRE, "from the library".getBytes(StandardCharsets.UTF_8));
            } finally {
                caller.end();
            }
            SpanContext handled = handledIn.get(30, TimeUnit.SECONDS);

            List<SpanData> trace = awaitTrace(caller, spans -> spans.size() >= 3);
            SpanData send = only(trace, SpanKind.PRODUCER);
            SpanData process = only(trace, SpanKind.CONSUMER);
            assertThat(send.getInstrumentationScopeInfo().getName()).isEqualTo(NATS_LIBRARY_SCOPE);
            assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(process.getInstrumentationScopeInfo().getName()).isEqualTo(TRACEWIRE_SCOPE);
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(handled).isEqualTo(process.getSpanContext());
        } finally {
            instrumented.close();
            plain.close();
        }
    }

    @Test
    void generatedPublisherToNatsTelemetrySubscription(NatsServerProcess nats) throws Exception {
        CompletableFuture<SpanContext> handledIn = new CompletableFuture<>();
        NatsTelemetry telemetry = NatsTelemetry.create(sdk);
        Connection plain = Nats.connect(nats.url());
        Connection instrumented = telemetry.newConnection(new Options.Builder().server(nats.url()).build(), Nats::connect);
        try {
            Dispatcher dispatcher = instrumented.createDispatcher();
            dispatcher.subscribe(LibraryInterfaces.FROM_TRACEWIRE,
                    message -> handledIn.complete(Span.current().getSpanContext()));
            instrumented.flush(Duration.ofSeconds(5));
            Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                new TracedLibraryInterfaces_NatsOut(plain, options).publish("from tracewire");
            } finally {
                caller.end();
            }
            SpanContext handled = handledIn.get(30, TimeUnit.SECONDS);

            List<SpanData> trace = awaitTrace(caller, spans -> spans.size() >= 3);
            SpanData send = only(trace, SpanKind.PRODUCER);
            SpanData process = only(trace, SpanKind.CONSUMER);
            assertThat(send.getInstrumentationScopeInfo().getName()).isEqualTo(TRACEWIRE_SCOPE);
            assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(process.getInstrumentationScopeInfo().getName()).isEqualTo(NATS_LIBRARY_SCOPE);
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(handled).isEqualTo(process.getSpanContext());
        } finally {
            instrumented.close();
            plain.close();
        }
    }

    /** The finished spans of the caller's trace, once {@code complete} holds for them (30 s at most). */
    private List<SpanData> awaitTrace(Span caller, Predicate<List<SpanData>> complete) throws InterruptedException {
        String traceId = caller.getSpanContext().getTraceId();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<SpanData> trace;
        do {
            trace = exporter.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
            if (complete.test(trace)) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return trace;
    }

    private static SpanData only(List<SpanData> trace, SpanKind kind) {
        List<SpanData> found = trace.stream().filter(span -> span.getKind() == kind).toList();
        assertThat(found).as("%s spans in %s", kind, trace).hasSize(1);
        return found.get(0);
    }
}
