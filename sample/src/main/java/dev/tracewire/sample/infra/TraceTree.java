package dev.tracewire.sample.infra;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * A {@link SpanExporter} that keeps every finished span and renders them as a readable tree, one
 * block per trace:
 *
 * <pre>
 * trace 0af7651916cd43dd8448eb211c80319c (3 spans, 12.4 ms)
 *   place-order [INTERNAL] 12.4 ms @+0.0 ms
 *     send orders [PRODUCER] 3.1 ms @+0.2 ms destination=orders partition=0 offset=41
 *     process orders [CONSUMER] 8.0 ms @+4.3 ms destination=orders partition=0 offset=41 ERROR error.type=java.lang.IllegalStateException "no stock"
 * </pre>
 *
 * <p>Traces are ordered by their first span's start; within a trace, children are listed under
 * their parent ordered by start time. A span whose parent was not collected (for example one
 * that continues a trace from another process) is shown as a root, marked {@code (parent
 * <span id> not collected)}. Durations and offsets are in milliseconds; the offset is from the
 * start of the trace's earliest collected span.
 *
 * <p>Thread-safe. Use it with a {@code SimpleSpanProcessor} so that spans arrive as they end.
 */
public final class TraceTree implements SpanExporter {

    /** An attribute shown on a span's line: looked up by name, so that any value type is shown. */
    private record Shown(String key, String label) {
    }

    private static final List<Shown> SHOWN_ATTRIBUTES = List.of(
            new Shown("messaging.destination.name", "destination"),
            new Shown("messaging.destination.partition.id", "partition"),
            new Shown("messaging.kafka.offset", "offset"),
            new Shown("messaging.batch.message_count", "batch"),
            new Shown("messaging.consumer.group.name", "group"));

    private static final String ERROR_TYPE = "error.type";
    private static final String INDENT = "  ";

    private static final Comparator<SpanData> BY_START = Comparator
            .comparingLong(SpanData::getStartEpochNanos)
            .thenComparingLong(SpanData::getEndEpochNanos)
            .thenComparing(SpanData::getName)
            .thenComparing(SpanData::getSpanId);

    private final List<SpanData> spans = new ArrayList<>();
    private boolean shutdown;

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
        synchronized (spans) {
            if (shutdown) {
                return CompletableResultCode.ofFailure();
            }
            spans.addAll(batch);
            spans.notifyAll();
        }
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
    }

    /** Stops accepting spans; the collected ones stay available. */
    @Override
    public CompletableResultCode shutdown() {
        synchronized (spans) {
            shutdown = true;
        }
        return CompletableResultCode.ofSuccess();
    }

    /** A snapshot of the collected spans, in the order they were exported (usually end order). */
    public List<SpanData> spans() {
        synchronized (spans) {
            return List.copyOf(spans);
        }
    }

    /**
     * Waits until at least {@code count} spans were collected, then returns a snapshot of them.
     *
     * @throws IllegalStateException if fewer arrived within {@code timeout} (with the tree so far)
     */
    public List<SpanData> awaitSpans(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (spans) {
            while (spans.size() < count) {
                long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (remainingMillis <= 0) {
                    throw new IllegalStateException("expected at least " + count + " spans within " + timeout
                            + " but got " + spans.size() + ":\n" + render(spans));
                }
                spans.wait(remainingMillis);
            }
            return List.copyOf(spans);
        }
    }

    /** Forgets all collected spans. */
    public void reset() {
        synchronized (spans) {
            spans.clear();
        }
    }

    /** The collected spans as a tree; an empty string when there are none. */
    public String render() {
        return render(spans());
    }

    /** Renders any spans the way {@link #render()} does. */
    public static String render(Collection<SpanData> spans) {
        Map<String, List<SpanData>> byTrace = new HashMap<>();
        for (SpanData span : spans) {
            byTrace.computeIfAbsent(span.getTraceId(), id -> new ArrayList<>()).add(span);
        }
        List<List<SpanData>> traces = new ArrayList<>(byTrace.values());
        traces.forEach(trace -> trace.sort(BY_START));
        traces.sort(Comparator.comparing((List<SpanData> trace) -> trace.get(0), BY_START));

        StringBuilder out = new StringBuilder();
        for (List<SpanData> trace : traces) {
            renderTrace(trace, out);
        }
        return out.toString();
    }

    /** {@code trace} is sorted by start. */
    private static void renderTrace(List<SpanData> trace, StringBuilder out) {
        long traceStart = trace.get(0).getStartEpochNanos();
        long traceEnd = trace.stream().mapToLong(SpanData::getEndEpochNanos).max().orElse(traceStart);
        out.append("trace ").append(trace.get(0).getTraceId())
                .append(" (").append(trace.size()).append(trace.size() == 1 ? " span, " : " spans, ")
                .append(millis(traceEnd - traceStart)).append(")\n");

        Set<String> present = new HashSet<>();
        trace.forEach(span -> present.add(span.getSpanId()));
        Map<String, List<SpanData>> children = new HashMap<>();
        List<SpanData> roots = new ArrayList<>();
        for (SpanData span : trace) { // in start order, so every child list is too
            String parent = span.getParentSpanId();
            if (span.getParentSpanContext().isValid() && present.contains(parent)
                    && !parent.equals(span.getSpanId())) {
                children.computeIfAbsent(parent, id -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        Set<String> printed = new HashSet<>();
        for (SpanData root : roots) {
            SpanContext parent = root.getParentSpanContext();
            String note = parent.isValid() && !present.contains(parent.getSpanId())
                    ? " (parent " + parent.getSpanId() + " not collected)" : "";
            renderSpan(root, 1, note, traceStart, children, printed, out);
        }
        // Only a parent cycle (impossible with a real SDK) leaves spans unprinted; never lose them.
        for (SpanData span : trace) {
            if (!printed.contains(span.getSpanId())) {
                renderSpan(span, 1, " (parent cycle)", traceStart, children, printed, out);
            }
        }
    }

    private static void renderSpan(SpanData span, int depth, String note, long traceStart,
                                   Map<String, List<SpanData>> children, Set<String> printed, StringBuilder out) {
        if (!printed.add(span.getSpanId())) {
            return;
        }
        out.append(INDENT.repeat(depth)).append(line(span, traceStart)).append(note).append('\n');
        for (SpanData child : children.getOrDefault(span.getSpanId(), List.of())) {
            renderSpan(child, depth + 1, "", traceStart, children, printed, out);
        }
    }

    /** One span, without indentation or line break. */
    static String line(SpanData span, long traceStart) {
        StringBuilder line = new StringBuilder();
        line.append(span.getName())
                .append(" [").append(span.getKind()).append("] ")
                .append(millis(span.getEndEpochNanos() - span.getStartEpochNanos()))
                .append(" @+").append(millis(span.getStartEpochNanos() - traceStart));
        Map<String, Object> attributes = new HashMap<>();
        span.getAttributes().forEach((AttributeKey<?> key, Object value) -> attributes.put(key.getKey(), value));
        for (Shown shown : SHOWN_ATTRIBUTES) {
            Object value = attributes.get(shown.key());
            if (value != null) {
                line.append(' ').append(shown.label()).append('=').append(value);
            }
        }
        if (!span.getLinks().isEmpty()) {
            line.append(" links=").append(span.getLinks().size());
        }
        if (span.getStatus().getStatusCode() == StatusCode.ERROR) {
            line.append(" ERROR");
        }
        Object errorType = attributes.get(ERROR_TYPE);
        if (errorType != null) {
            line.append(' ').append(ERROR_TYPE).append('=').append(errorType);
        }
        String description = span.getStatus().getDescription();
        if (span.getStatus().getStatusCode() == StatusCode.ERROR && description != null && !description.isEmpty()) {
            line.append(" \"").append(description).append('"');
        }
        return line.toString();
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1_000_000.0);
    }
}
