package dev.tracewire.runtime.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * With a no-op {@code OpenTelemetry} the generated clients skip tracing altogether, and keep every
 * other promise: records and headers as the user made them, futures completed in the caller's
 * context, failures surfaced and logged, handlers called and their exceptions rethrown.
 */
class NoopOpenTelemetryTest {

    private static final ContextKey<String> CALLER = ContextKey.named("caller");
    private final TracewireOptions options = TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build();

    @Test
    void recognizesOnlyTheApisNoOpImplementations() {
        assertThat(Telemetry.of(options).tracing()).isFalse();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build()).build()) {
            assertThat(Telemetry.of(TracewireOptions.builder().openTelemetry(sdk).build()).tracing())
                    .as("an SDK without propagators still records spans").isTrue();
        }
    }

    @Test
    void sendsTheRecordUntouchedAndCompletesInTheCallersContext() throws Exception {
        MockProducer<String, String> producer =
                new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer, options).sender("orders");
        ProducerRecord<String, String> record = sender.record("k", "v");
        KafkaHeaders.put(record.headers(), "tenant", "acme");
        AtomicReference<String> seenInDependent = new AtomicReference<>();

        Context caller = Context.current().with(CALLER, "test");
        CompletableFuture<RecordMetadata> future;
        Scope scope = caller.makeCurrent();
        try {
            future = sender.send(record);
            future.thenRun(() -> seenInDependent.set(Context.current().get(CALLER)));
        } finally {
            scope.close();
        }
        producer.completeNext();

        assertThat(future.get().topic()).isEqualTo("orders");
        assertThat(seenInDependent.get()).isEqualTo("test");
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertThat(sent.headers().toArray()).hasSize(1);
        assertThat(new String(sent.headers().lastHeader("tenant").value(), StandardCharsets.UTF_8)).isEqualTo("acme");
    }

    @Test
    void surfacesFailuresAsTheReturnTypePromises() {
        MockProducer<String, String> producer =
                new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer, options).sender("orders");
        CompletableFuture<RecordMetadata> future = sender.send(sender.record("k", "v"));
        IllegalStateException failure = new IllegalStateException("broker said no");

        try (LogCapture logs = LogCapture.of(SendOperation.class, Level.WARNING)) {
            producer.errorNext(failure);
            sender.sendAndForget(sender.record("k", "w"));
            producer.errorNext(new IllegalStateException("broker said no again"));
            assertThat(logs.messages()).singleElement().asString().contains("orders");
        }
        assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCause(failure);
    }

    @Test
    void dispatchesStraightToTheMethodAndRethrows() {
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder("Handler", "g", options)
                .route("orders", record -> {
                    throw new IllegalArgumentException("bad " + record.value());
                })
                .build();

        assertThatThrownBy(() -> dispatcher.handle(new ConsumerRecord<>("orders", 0, 0L, "k", "v")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bad v");
    }
}
