package dev.tracewire.sample.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Spans made by hand for the tests of what reads them: one trace at a time, parents by name. */
public final class Spans {

    private final String traceId;
    private final List<RecordedSpan> spans = new ArrayList<>();
    private long clock = 1_000_000_000L;

    private Spans(String traceId) {
        this.traceId = traceId;
    }

    /** A trace whose id is {@code traceId} repeated to 32 hex digits. */
    public static Spans trace(String traceId) {
        return new Spans(traceId.repeat(32 / traceId.length()));
    }

    public String traceId() {
        return traceId;
    }

    /** Adds a Java span, 1 ms after the previous one and 2 ms long; its id is its index. */
    public RecordedSpan add(String service, String kind, String name, RecordedSpan parent, String... attributes) {
        return add(service, "java", kind, name, parent == null ? "" : parent.spanId(), false, List.of(), attributes);
    }

    /** Adds a span with everything given. */
    public RecordedSpan add(String service, String runtime, String kind, String name, String parentSpanId, boolean error,
            List<RecordedSpan.Link> links, String... attributes) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < attributes.length; i += 2) {
            map.put(attributes[i], attributes[i + 1]);
        }
        clock += 1_000_000L;
        String spanId = traceId.substring(0, 8) + String.format("%08x", spans.size() + 1);
        RecordedSpan span = new RecordedSpan(service, runtime, traceId, spanId, parentSpanId, name, kind, clock,
                clock + 2_000_000L, error, map, links);
        spans.add(span);
        return span;
    }

    public List<RecordedSpan> spans() {
        return List.copyOf(spans);
    }
}
