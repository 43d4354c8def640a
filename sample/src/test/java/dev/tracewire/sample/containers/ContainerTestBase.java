package dev.tracewire.sample.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.containers.plain.PlainShipping;
import dev.tracewire.sample.containers.plain.TracedPlainShipping_ParcelHandler;
import dev.tracewire.sample.containers.plain.TracedPlainShipping_Parcels;
import dev.tracewire.sample.containers.plain.TracedPlainShipping_ShipmentHandler;
import dev.tracewire.sample.containers.plain.TracedPlainShipping_Shipments;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * An SDK with an in-memory exporter per test, and the shipping flow wired by hand with plain
 * generated classes, whose trace the containers' must equal.
 */
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
abstract class ContainerTestBase {

    /** Code that may throw, run inside the caller's span. */
    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    protected final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    protected OpenTelemetrySdk sdk;
    protected TracewireOptions options;
    /** The trace id of the plain wiring's shipment, once {@link #plainWiringTrace} ran. */
    protected String plainCallerTraceId;

    @BeforeEach
    void createSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        options = TracewireOptions.builder().openTelemetry(sdk).build();
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    /**
     * Ships one shipment through the flow wired by hand ({@code new}, {@code start}, {@code close}),
     * and returns the finished spans once its trace is complete.
     */
    protected List<SpanData> plainWiringTrace(EmbeddedKafka kafka, NatsServerProcess nats) throws Exception {
        kafka.createTopic(PlainShipping.SHIPMENTS, 1);
        Deliveries deliveries = new Deliveries();
        Connection connection = Nats.connect(nats.url());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer())) {
            PlainShipping.Parcels parcels = new TracedPlainShipping_Parcels(connection, options);
            PlainShipping.Shipments shipments = new TracedPlainShipping_Shipments(producer, options);
            try (Subscription couriers = new TracedPlainShipping_ParcelHandler(deliveries::parcel, options)
                            .start(connection);
                    Subscription packers = new TracedPlainShipping_ShipmentHandler((id, item) -> {
                        deliveries.shipment(id + ":" + item);
                        parcels.sent(id + ":" + item);
                    }, options).start(new KafkaConsumer<>(kafka.consumerConfig(PlainShipping.SHIPPING_GROUP),
                            new StringDeserializer(), new StringDeserializer()))) {
                Span caller = sdk.getTracer("test").spanBuilder("ship").startSpan();
                try (Scope scope = caller.makeCurrent()) {
                    shipments.shipped("p-1", "books").get(30, TimeUnit.SECONDS);
                } finally {
                    caller.end();
                }
                plainCallerTraceId = caller.getSpanContext().getTraceId();
                deliveries.nextShipment();
                deliveries.nextParcel();
                return awaitSpans(spans -> ShippingTrace.shape(spans, plainCallerTraceId).size() == 5);
            }
        } finally {
            connection.close();
        }
    }

    /** Waits up to 30 s until the finished spans satisfy {@code condition}; returns them. */
    protected List<SpanData> awaitSpans(Predicate<List<SpanData>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            List<SpanData> spans = exporter.getFinishedSpanItems();
            if (condition.test(spans)) {
                return spans;
            }
            Thread.sleep(20);
        }
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(condition.test(spans)).as("spans never matched; got %s", spans).isTrue();
        return spans;
    }
}
