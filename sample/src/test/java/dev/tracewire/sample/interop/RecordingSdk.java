package dev.tracewire.sample.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.support.MeteredTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Tracer;
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

/**
 * An SDK for one test: its spans kept by an in-memory exporter, its messages counted by the
 * propagation-health counter through an in-memory metric reader.
 */
final class RecordingSdk implements AutoCloseable {

    static final String PROPAGATION = "tracewire.propagation.messages";
    private static final AttributeKey<String> SOURCE = AttributeKey.stringKey("tracewire.context.source");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk;
    private final MeteredTelemetry metered;

    RecordingSdk(TextMapPropagator propagator) {
        this.sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(propagator))
                .build();
        this.metered = new MeteredTelemetry(sdk);
    }

    /** Options that trace and measure with this SDK. */
    TracewireOptions.Builder options() {
        return TracewireOptions.builder().openTelemetry(metered);
    }

    Tracer tracer() {
        return sdk.getTracer("test");
    }

    List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    /** Waits up to 30 s for exactly one finished span that matches. */
    SpanData awaitSpan(String what, Predicate<SpanData> matching) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<SpanData> found;
        do {
            found = spans().stream().filter(matching).toList();
            if (!found.isEmpty()) {
                break;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        assertThat(found).as(what).hasSize(1);
        return found.get(0);
    }

    /** Messages of {@code destination} the propagation-health counter counted under {@code source}. */
    long counted(String destination, String source) {
        return metered.count(PROPAGATION, attributes -> destination.equals(attributes.get(DESTINATION))
                && source.equals(attributes.get(SOURCE)));
    }

    /** Messages of {@code destination} the propagation-health counter counted at all. */
    long counted(String destination) {
        return metered.count(PROPAGATION, attributes -> destination.equals(attributes.get(DESTINATION)));
    }

    @Override
    public void close() {
        metered.close();
        sdk.close();
    }
}
