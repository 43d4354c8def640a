package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

/**
 * Metrics are measured only with a meter provider that measures: with the API's no-op meter
 * ({@code OpenTelemetry.noop()}, or an SDK set up for tracing only, whose meter provider has no
 * reader) a client reads not even the clock; tracing and measuring are on and off independently.
 */
class MessagingMetricsTest {

    @Test
    void theNoopOpenTelemetryMeasuresNothingNotEvenTheClock() {
        Instruments instruments = Instruments.of(OpenTelemetry.noop());

        assertThat(instruments.metrics.enabled).isFalse();
        assertThat(instruments.metrics.clock()).isZero();
        assertThat(instruments.active).isFalse();
    }

    @Test
    void anSdkSetUpForTracingOnlyMeasuresNothing() {
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().build()).build()) {
            Instruments instruments = Instruments.of(sdk);

            assertThat(instruments.tracing).isTrue();
            assertThat(instruments.metrics.enabled).isFalse();
            assertThat(instruments.metrics.clock()).isZero();
        }
    }

    @Test
    void anSdkThatOnlyMeasuresIsActiveWithoutTracing() {
        try (SdkMeterProvider meterProvider = SdkMeterProvider.builder()
                .registerMetricReader(InMemoryMetricReader.create()).build()) {
            OpenTelemetry measuring = new OpenTelemetry() {
                @Override
                public TracerProvider getTracerProvider() {
                    return TracerProvider.noop();
                }

                @Override
                public ContextPropagators getPropagators() {
                    return ContextPropagators.noop();
                }

                @Override
                public io.opentelemetry.api.metrics.MeterProvider getMeterProvider() {
                    return meterProvider;
                }
            };
            Instruments instruments = Instruments.of(measuring);

            assertThat(instruments.tracing).isFalse();
            assertThat(instruments.metrics.enabled).isTrue();
            assertThat(instruments.metrics.clock()).isNotZero();
            assertThat(instruments.active).isTrue();
        }
    }
}
