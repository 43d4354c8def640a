package dev.tracewire.runtime.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterProvider;
import java.util.List;

/**
 * The messaging metrics of one client, created once from its {@code OpenTelemetry}'s meter
 * provider, as the semantic conventions name them: {@code messaging.client.operation.duration}
 * (sends), {@code messaging.client.sent.messages}, {@code messaging.client.consumed.messages},
 * {@code messaging.process.duration}; and tracewire's own propagation-health counter
 * {@code tracewire.propagation.messages} (consumed messages by what carried their context). With
 * the API's no-op meter (no-op meter provider, or an SDK without metric readers) nothing is
 * measured at all, not even the clock.
 */
final class MessagingMetrics {

    /** The buckets the messaging conventions advise for their duration histograms, in seconds. */
    static final List<Double> DURATION_BUCKETS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    static final AttributeKey<String> CONTEXT_SOURCE = AttributeKey.stringKey("tracewire.context.source");

    private static final double NANOS_PER_SECOND = 1e9;

    final boolean enabled;
    private final DoubleHistogram operationDuration;
    private final LongCounter sentMessages;
    private final LongCounter consumedMessages;
    private final DoubleHistogram processDuration;
    private final LongCounter propagation;

    MessagingMetrics(OpenTelemetry openTelemetry) {
        Meter meter = openTelemetry.getMeterProvider().meterBuilder(Tracing.INSTRUMENTATION_NAME)
                .setInstrumentationVersion(Tracing.VERSION)
                .build();
        // The API's no-op meter: from OpenTelemetry.noop(), and from an SDK without metric readers
        // (one set up for tracing only), which hands out the same no-op meter.
        this.enabled = meter != MeterProvider.noop().get(Tracing.INSTRUMENTATION_NAME);
        this.operationDuration = meter.histogramBuilder("messaging.client.operation.duration")
                .setUnit("s")
                .setDescription("Duration of messaging operation initiated by a producer or consumer client.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.sentMessages = meter.counterBuilder("messaging.client.sent.messages")
                .setUnit("{message}")
                .setDescription("Number of messages producer attempted to send to the broker.")
                .build();
        this.consumedMessages = meter.counterBuilder("messaging.client.consumed.messages")
                .setUnit("{message}")
                .setDescription("Number of messages that were delivered to the application.")
                .build();
        this.processDuration = meter.histogramBuilder("messaging.process.duration")
                .setUnit("s")
                .setDescription("Duration of processing operation.")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
                .build();
        this.propagation = meter.counterBuilder("tracewire.propagation.messages")
                .setUnit("{message}")
                .setDescription("Consumed messages by what carried their trace context: header, payload, legacy,"
                        + " absent or invalid.")
                .build();
    }

    /** The time now for a duration, or 0 when nothing is measured. */
    long clock() {
        return enabled ? System.nanoTime() : 0L;
    }

    void sent(Attributes attributes, long startNanos, Throwable failure) {
        Attributes measured = withError(attributes, failure);
        operationDuration.record(seconds(startNanos), measured);
        sentMessages.add(1, measured);
    }

    void consumed(Attributes attributes, long startNanos, Throwable failure) {
        consumed(attributes, startNanos, failure, 1);
    }

    /** A batch of {@code count} messages processed as one, which took one process duration. */
    void consumed(Attributes attributes, long startNanos, Throwable failure, long count) {
        Attributes measured = withError(attributes, failure);
        consumedMessages.add(count, measured);
        processDuration.record(seconds(startNanos), measured);
    }

    void propagated(Attributes bySource) {
        propagation.add(1, bySource);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / NANOS_PER_SECOND;
    }

    private static Attributes withError(Attributes attributes, Throwable failure) {
        return failure == null ? attributes
                : attributes.toBuilder().put(MessagingAttributes.ERROR_TYPE, failure.getClass().getName()).build();
    }
}
