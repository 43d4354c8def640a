package dev.tracewire.sample.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * An {@code OpenTelemetry} that traces with another one and measures with an SDK meter provider
 * read by an {@link InMemoryMetricReader} (cumulative: every collection holds the totals so far).
 * The meter provider counts the instruments built through it, so a test can tell that a client
 * builds its instruments once, not per message.
 */
public final class MeteredTelemetry implements OpenTelemetry, AutoCloseable {

    private final OpenTelemetry tracing;
    private final InMemoryMetricReader reader = InMemoryMetricReader.create();
    private final SdkMeterProvider sdkMeterProvider = SdkMeterProvider.builder().registerMetricReader(reader).build();
    private final AtomicInteger instrumentsBuilt = new AtomicInteger();
    private final MeterProvider meterProvider = new CountingMeterProvider();

    /** Traces with {@code tracing}'s tracer provider and propagators; {@code OpenTelemetry.noop()} for none. */
    public MeteredTelemetry(OpenTelemetry tracing) {
        this.tracing = tracing;
    }

    @Override
    public TracerProvider getTracerProvider() {
        return tracing.getTracerProvider();
    }

    @Override
    public ContextPropagators getPropagators() {
        return tracing.getPropagators();
    }

    @Override
    public MeterProvider getMeterProvider() {
        return meterProvider;
    }

    /** How many instruments (counters, histograms, gauges) were built so far. */
    public int instrumentsBuilt() {
        return instrumentsBuilt.get();
    }

    /** Everything measured so far. */
    public Collection<MetricData> metrics() {
        return reader.collectAllMetrics();
    }

    /** The metric named {@code name}; fails when there is none. */
    public MetricData metric(String name) {
        return metrics().stream().filter(metric -> metric.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + metrics()));
    }

    /** The points of counter {@code name} whose attributes satisfy {@code filter}. */
    public List<LongPointData> counterPoints(String name, Predicate<Attributes> filter) {
        MetricData metric = metric(name);
        assertThat(metric.getType()).as(name).isEqualTo(MetricDataType.LONG_SUM);
        return metric.getLongSumData().getPoints().stream().filter(p -> filter.test(p.getAttributes())).toList();
    }

    /** The points of histogram {@code name} whose attributes satisfy {@code filter}. */
    public List<HistogramPointData> histogramPoints(String name, Predicate<Attributes> filter) {
        MetricData metric = metric(name);
        assertThat(metric.getType()).as(name).isEqualTo(MetricDataType.HISTOGRAM);
        return metric.getHistogramData().getPoints().stream().filter(p -> filter.test(p.getAttributes())).toList();
    }

    /** The sum of counter {@code name} over the points whose attributes satisfy {@code filter}; 0 when none. */
    public long count(String name, Predicate<Attributes> filter) {
        if (metrics().stream().noneMatch(metric -> metric.getName().equals(name))) {
            return 0;
        }
        return counterPoints(name, filter).stream().mapToLong(LongPointData::getValue).sum();
    }

    /** Waits up to 30 s until counter {@code name} reaches {@code expected} over the matching points. */
    public void awaitCount(String name, Predicate<Attributes> filter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(name, filter) < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(count(name, filter)).as("%s, now %s", name, metrics()).isEqualTo(expected);
    }

    /** One line per point of every metric, as the reader exported it, for the test's output. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (MetricData metric : metrics()) {
            String head = metric.getName() + " [" + metric.getUnit() + ", " + metric.getType() + "] ";
            if (metric.getType() == MetricDataType.HISTOGRAM) {
                metric.getHistogramData().getPoints().forEach(point -> lines.add(head + point.getAttributes()
                        + " count=" + point.getCount() + " boundaries=" + point.getBoundaries()));
            } else if (metric.getType() == MetricDataType.LONG_SUM) {
                metric.getLongSumData().getPoints().forEach(point -> lines.add(head + point.getAttributes()
                        + " value=" + point.getValue()));
            } else {
                lines.add(head + metric.getData().getPoints());
            }
        }
        lines.sort(null);
        return lines;
    }

    @Override
    public void close() {
        sdkMeterProvider.close();
    }

    private final class CountingMeterProvider implements MeterProvider {
        @Override
        public MeterBuilder meterBuilder(String instrumentationScopeName) {
            MeterBuilder builder = sdkMeterProvider.meterBuilder(instrumentationScopeName);
            return new MeterBuilder() {
                @Override
                public MeterBuilder setSchemaUrl(String schemaUrl) {
                    builder.setSchemaUrl(schemaUrl);
                    return this;
                }

                @Override
                public MeterBuilder setInstrumentationVersion(String instrumentationVersion) {
                    builder.setInstrumentationVersion(instrumentationVersion);
                    return this;
                }

                @Override
                public Meter build() {
                    return new CountingMeter(builder.build());
                }
            };
        }
    }

    private final class CountingMeter implements Meter {
        private final Meter meter;

        CountingMeter(Meter meter) {
            this.meter = meter;
        }

        @Override
        public LongCounterBuilder counterBuilder(String name) {
            instrumentsBuilt.incrementAndGet();
            return meter.counterBuilder(name);
        }

        @Override
        public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
            instrumentsBuilt.incrementAndGet();
            return meter.upDownCounterBuilder(name);
        }

        @Override
        public DoubleHistogramBuilder histogramBuilder(String name) {
            instrumentsBuilt.incrementAndGet();
            return meter.histogramBuilder(name);
        }

        @Override
        public DoubleGaugeBuilder gaugeBuilder(String name) {
            instrumentsBuilt.incrementAndGet();
            return meter.gaugeBuilder(name);
        }
    }
}
