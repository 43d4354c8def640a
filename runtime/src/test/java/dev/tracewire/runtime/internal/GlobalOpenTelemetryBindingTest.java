package dev.tracewire.runtime.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.internal.KafkaDispatcher;
import dev.tracewire.runtime.kafka.internal.KafkaPublisher;
import dev.tracewire.runtime.kafka.internal.KafkaSender;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Default options follow the global {@code OpenTelemetry} without locking it: clients built before
 * the application registers its SDK (the usual order in DI containers) neither trace nor install a
 * no-op global, the registration then succeeds, and from the next message on they trace with it.
 * Each case starts from an unset global ({@link GlobalOpenTelemetry#resetForTest()}).
 */
class GlobalOpenTelemetryBindingTest {

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

    @BeforeEach
    @AfterEach
    void unsetTheGlobal() {
        GlobalOpenTelemetry.resetForTest();
    }

    @Test
    void buildingDefaultOptionsAndClientsDoesNotSetTheGlobal() {
        TracewireOptions options = TracewireOptions.defaults();
        new KafkaPublisher<>(producer(), options).sender("orders");
        KafkaDispatcher.<String, String>builder("Handler", "", options).route("orders", record -> { }).build();

        assertThat(GlobalOpenTelemetry.isSet()).isFalse();
        assertThat(options.openTelemetry().getTracerProvider().get("x").spanBuilder("y").startSpan().isRecording())
                .as("no-op until an SDK is registered").isFalse();
    }

    @Test
    void aPublisherBuiltBeforeTheSdkIsRegisteredTracesOnceItIs() {
        MockProducer<String, String> producer = producer();
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer, TracewireOptions.defaults()).sender("orders");
        sender.sendAndForget(sender.record("k", "before"));

        OpenTelemetrySdk sdk = registerSdk();
        try {
            sender.sendAndForget(sender.record("k", "after"));

            assertThat(GlobalOpenTelemetry.get().getTracerProvider()).isNotNull();
            assertThat(exporter.getFinishedSpanItems()).singleElement()
                    .satisfies(span -> assertThat(span.getName()).isEqualTo("send orders"));
            List<ProducerRecord<String, String>> sent = producer.history();
            assertThat(sent.get(0).headers().lastHeader("traceparent")).as("before the registration").isNull();
            assertThat(sent.get(1).headers().lastHeader("traceparent")).as("after it").isNotNull();
        } finally {
            sdk.close();
        }
    }

    @Test
    void aDispatcherBuiltBeforeTheSdkIsRegisteredTracesOnceItIs() throws Exception {
        List<SpanContext> seen = new ArrayList<>();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher
                .<String, String>builder("Handler", "", TracewireOptions.defaults())
                .route("orders", record -> seen.add(Span.current().getSpanContext()))
                .build();
        dispatcher.handle(record(), RuntimeException.class);

        OpenTelemetrySdk sdk = registerSdk();
        try {
            dispatcher.handle(record(), RuntimeException.class);

            assertThat(seen.get(0).isValid()).as("before the registration").isFalse();
            assertThat(seen.get(1).getTraceId()).as("after it, continuing the record's trace")
                    .isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(exporter.getFinishedSpanItems()).singleElement()
                    .satisfies(span -> assertThat(span.getName()).isEqualTo("process orders"));
        } finally {
            sdk.close();
        }
    }

    private OpenTelemetrySdk registerSdk() {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .buildAndRegisterGlobal();
    }

    private static MockProducer<String, String> producer() {
        return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    }

    private static ConsumerRecord<String, String> record() {
        ConsumerRecord<String, String> record = new ConsumerRecord<>("orders", 0, 0L, "k", "v");
        record.headers().add("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".getBytes(UTF_8));
        return record;
    }
}
