package dev.tracewire.benchmarks;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.OpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OpenTelemetry set-ups every benchmark shares.
 *
 * <p>By default the SDK exports through a {@link SimpleSpanProcessor} into an exporter that only
 * counts: every sampled span is turned into {@code SpanData} and handed to the exporter on the
 * thread that ended it. So the whole cost of a span lands in the measured thread (a
 * {@code BatchSpanProcessor} moves the export to its own thread, which on two cores competes with
 * the benchmark anyway, and drops spans once its queue is full, which flatters whoever produces
 * spans fastest). For a sensitivity check, {@code -jvmArgsAppend -Dtracewire.bench.spanProcessor=batch}
 * switches to a {@code BatchSpanProcessor} (queue of 65,536, batches of 512, every 100 ms) into the
 * same exporter. {@link #sampleAllBatched()} always exports that way (the end-to-end benchmark,
 * where spans end on the Kafka clients' own threads and a real application would batch). The
 * propagator is W3C trace context alone, the same for every variant.
 *
 * <p>These SDKs set up no metric reader, so their meter provider hands out the no-op meter and
 * tracewire measures nothing; {@link #sampleAllMetered()} adds an SDK meter provider with a
 * periodic reader (every 10 s, cumulative) into an exporter that only counts points, for the rows
 * that measure what the messaging metrics add.
 */
public final class Otel {

    private Otel() {
    }

    /** An SDK that samples what its parent sampled and every root span (the SDK default). */
    public static Sdk sampleAll() {
        return new Sdk(Sampler.parentBased(Sampler.alwaysOn()), batchRequested(), false);
    }

    /** As {@link #sampleAll()}, and measuring: an SDK meter provider with a periodic reader. */
    public static Sdk sampleAllMetered() {
        return new Sdk(Sampler.parentBased(Sampler.alwaysOn()), batchRequested(), true);
    }

    /**
     * Samples as {@link #sampleAll()} does but always exports through the {@code BatchSpanProcessor}
     * (queue of 65,536, batches of 512, every 100 ms), whatever {@code tracewire.bench.spanProcessor} says.
     */
    public static Sdk sampleAllBatched() {
        return new Sdk(Sampler.parentBased(Sampler.alwaysOn()), true, false);
    }

    /** An SDK whose sampler drops every span. */
    public static Sdk dropAll() {
        return new Sdk(Sampler.alwaysOff(), batchRequested(), false);
    }

    private static boolean batchRequested() {
        return "batch".equals(System.getProperty("tracewire.bench.spanProcessor"));
    }

    public static OpenTelemetry noop() {
        return OpenTelemetry.noop();
    }

    /** An SDK and the exporters that count what it exports. */
    public static final class Sdk implements AutoCloseable {
        public final CountingExporter exporter = new CountingExporter();
        public final CountingMetricExporter metricExporter = new CountingMetricExporter();
        public final OpenTelemetrySdk openTelemetry;

        Sdk(Sampler sampler, boolean batch, boolean metered) {
            SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
                    .setSampler(sampler)
                    .addSpanProcessor(processor(exporter, batch))
                    .build();
            OpenTelemetrySdkBuilder builder = OpenTelemetrySdk.builder()
                    .setTracerProvider(tracerProvider)
                    .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
            if (metered) {
                builder.setMeterProvider(SdkMeterProvider.builder()
                        .registerMetricReader(PeriodicMetricReader.builder(metricExporter)
                                .setInterval(Duration.ofSeconds(10))
                                .build())
                        .build());
            }
            openTelemetry = builder.build();
        }

        /** Collects and exports what the meter provider holds now (a no-op without one). */
        public void flushMetrics() {
            openTelemetry.getSdkMeterProvider().forceFlush().join(10, TimeUnit.SECONDS);
        }

        private static SpanProcessor processor(SpanExporter exporter, boolean batch) {
            if (batch) {
                return BatchSpanProcessor.builder(exporter)
                        .setMaxQueueSize(65_536)
                        .setMaxExportBatchSize(512)
                        .setScheduleDelay(Duration.ofMillis(100))
                        .build();
            }
            return SimpleSpanProcessor.create(exporter);
        }

        /** Shuts the SDK down; a batch processor exports what it still holds first. */
        @Override
        public void close() {
            openTelemetry.close();
        }
    }

    /** Does nothing with metrics but count the points, so a run can show that it measured. */
    public static final class CountingMetricExporter implements MetricExporter {
        private final AtomicLong points = new AtomicLong();

        public long points() {
            return points.get();
        }

        @Override
        public CompletableResultCode export(Collection<MetricData> metrics) {
            long exported = 0;
            for (MetricData metric : metrics) {
                exported += metric.getData().getPoints().size();
            }
            points.addAndGet(exported);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
            return AggregationTemporality.CUMULATIVE;
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** Does nothing with spans but count them, so a run can show that spans were made. */
    public static final class CountingExporter implements SpanExporter {
        private long spans;

        public long spans() {
            return spans;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans += batch.size(); // one exporting thread at a time, either way; read after the runs
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
