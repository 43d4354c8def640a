package dev.tracewire.sample.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Spans of many services as traces: each span's parent, children, trace, and the batch spans linking to it. */
public final class Traces {

    /** By start, then end, then name: the order of a waterfall. */
    static final Comparator<RecordedSpan> BY_START = Comparator.comparingLong(RecordedSpan::startNanos)
            .thenComparingLong(RecordedSpan::endNanos).thenComparing(RecordedSpan::name)
            .thenComparing(RecordedSpan::spanId);

    private final Map<String, RecordedSpan> byId = new HashMap<>();
    private final Map<String, List<RecordedSpan>> children = new HashMap<>();
    private final Map<String, List<RecordedSpan>> linkedFrom = new HashMap<>();
    private final Map<String, List<RecordedSpan>> byTrace = new LinkedHashMap<>();

    public Traces(Collection<RecordedSpan> spans) {
        List<RecordedSpan> sorted = spans.stream().sorted(BY_START).toList();
        for (RecordedSpan span : sorted) {
            byId.put(key(span.traceId(), span.spanId()), span);
            byTrace.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span);
            if (!span.isRoot()) {
                children.computeIfAbsent(key(span.traceId(), span.parentSpanId()), id -> new ArrayList<>()).add(span);
            }
            for (RecordedSpan.Link link : span.links()) {
                linkedFrom.computeIfAbsent(key(link.traceId(), link.spanId()), id -> new ArrayList<>()).add(span);
            }
        }
    }

    private static String key(String traceId, String spanId) {
        return traceId + "/" + spanId;
    }

    /** Every span, by start. */
    public List<RecordedSpan> spans() {
        return byTrace.values().stream().flatMap(List::stream).sorted(BY_START).toList();
    }

    /** The trace ids, by the start of their first span. */
    public List<String> traceIds() {
        return byTrace.values().stream().map(trace -> trace.get(0)).sorted(BY_START).map(RecordedSpan::traceId)
                .toList();
    }

    /** The spans of a trace, by start. */
    public List<RecordedSpan> trace(String traceId) {
        return byTrace.getOrDefault(traceId, List.of());
    }

    /** The span's parent, when it has one and it was collected. */
    public Optional<RecordedSpan> parent(RecordedSpan span) {
        return span.isRoot() ? Optional.empty()
                : Optional.ofNullable(byId.get(key(span.traceId(), span.parentSpanId())));
    }

    /** Whether the span names a parent that was not collected: its context came from a span nobody exported. */
    public boolean parentMissing(RecordedSpan span) {
        return !span.isRoot() && !byId.containsKey(key(span.traceId(), span.parentSpanId()));
    }

    /** The span's ancestors, its parent first, up to a root or the first parent that was not collected. */
    public List<RecordedSpan> ancestors(RecordedSpan span) {
        List<RecordedSpan> ancestors = new ArrayList<>();
        for (Optional<RecordedSpan> parent = parent(span); parent.isPresent(); parent = parent(parent.get())) {
            if (ancestors.contains(parent.get())) {
                break; // a cycle: impossible with real SDKs, never loop on it
            }
            ancestors.add(parent.get());
        }
        return ancestors;
    }

    /** The topmost collected span above it, or itself. */
    public RecordedSpan top(RecordedSpan span) {
        List<RecordedSpan> ancestors = ancestors(span);
        return ancestors.isEmpty() ? span : ancestors.get(ancestors.size() - 1);
    }

    /** Its children, by start. */
    public List<RecordedSpan> children(RecordedSpan span) {
        return children.getOrDefault(key(span.traceId(), span.spanId()), List.of());
    }

    /** The spans that link to it (the process span of the batch that held its message), by start. */
    public List<RecordedSpan> linkedFrom(RecordedSpan span) {
        return linkedFrom.getOrDefault(key(span.traceId(), span.spanId()), List.of());
    }
}
