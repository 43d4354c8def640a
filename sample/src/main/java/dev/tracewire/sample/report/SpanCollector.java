package dev.tracewire.sample.report;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Where every service of the pipeline sends its finished spans: the span exporter of each Java
 * service's SDK (with a {@code SimpleSpanProcessor}, so spans arrive as they end), and the Node.js
 * enricher's spans added as its output is read. Thread-safe.
 */
public final class SpanCollector implements SpanExporter {

    private final List<RecordedSpan> spans = new ArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        List<RecordedSpan> recorded = batch.stream().map(RecordedSpan::of).toList();
        synchronized (spans) {
            spans.addAll(recorded);
        }
        return CompletableResultCode.ofSuccess();
    }

    /** Adds a span of a service whose SDK does not export here (the Node.js enricher's). */
    public void add(RecordedSpan span) {
        synchronized (spans) {
            spans.add(span);
        }
    }

    /** A snapshot of the spans collected so far, in the order they arrived. */
    public List<RecordedSpan> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    /** Keeps what it has; each service's SDK shuts its own exporter down, so this is called once per service. */
    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
