package dev.tracewire.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh OpenTelemetry SDK per test: in-memory exporter, W3C trace-context and baggage
 * propagators, always-on sampling. After each test it checks that every span that was started
 * was ended, and that no span was touched after it ended (the SDK logs "Calling end() on an ended
 * Span." and the like at FINE, which is how a second {@code end()} shows).
 */
public final class TestTelemetry implements BeforeEachCallback, AfterEachCallback {

    private static final String SDK_SPAN_LOGGER = "io.opentelemetry.sdk.trace.SdkSpan";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private OpenTelemetrySdk sdk;
    private LogCapture spanMisuse;

    @Override
    public void beforeEach(ExtensionContext context) {
        SpanProcessor counting = new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
                started.incrementAndGet();
            }

            @Override
            public boolean isStartRequired() {
                return true;
            }

            @Override
            public void onEnd(ReadableSpan span) {
                ended.incrementAndGet();
            }

            @Override
            public boolean isEndRequired() {
                return true;
            }
        };
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(counting)
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        spanMisuse = LogCapture.of(SDK_SPAN_LOGGER, Level.FINE);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            assertThat(ended.get()).as("spans ended (every started span must end)").isEqualTo(started.get());
            assertThat(spanMisuse.messages()).as("spans used after they ended (e.g. ended twice)").isEmpty();
        } finally {
            spanMisuse.close();
            sdk.close();
            exporter.reset();
        }
    }

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** A tracer of the test itself, for the caller's spans. */
    public Tracer tracer() {
        return sdk.getTracer("test");
    }

    /** Options tracing with this SDK, to be refined by the test. */
    public TracewireOptions.Builder options() {
        return TracewireOptions.builder().openTelemetry(sdk);
    }

    /** All ended spans, in the order they ended. */
    public List<SpanData> spans() {
        return exporter.getFinishedSpanItems();
    }

    /** The ended spans named {@code name}, in the order they ended. */
    public List<SpanData> spans(String name) {
        return spans().stream().filter(span -> span.getName().equals(name)).collect(Collectors.toList());
    }

    public int startedCount() {
        return started.get();
    }
}
