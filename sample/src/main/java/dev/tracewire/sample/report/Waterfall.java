package dev.tracewire.sample.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A trace as a terminal waterfall: one row per span, indented under its parent, with its service,
 * kind, a bar for when it ran within the trace, and its duration. A batch's process span that links
 * to a message of the trace is shown under that message's send span, marked {@code ↳ linked}.
 *
 * <pre>
 * trace 5b8e…c2 · 9 spans · ingest → detector → enricher (Node.js) → orchestrator → inventory · 41.2 ms
 *   read pump-2.vibration               ingest              INTERNAL │██                              │   3.1 ms
 *     send sensor.readings              ingest              PRODUCER │ █                              │   2.6 ms
 *       process sensor.readings         detector            CONSUMER │  ██                            │   4.0 ms
 * </pre>
 */
public final class Waterfall {

    private static final int BAR_WIDTH = 32;
    private static final int MAX_NAME_WIDTH = 48;
    private static final String INDENT = "  ";

    private record Row(RecordedSpan span, int depth, String note) {
    }

    private Waterfall() {
    }

    /** The trace {@code traceId} of {@code traces}; empty when it has no span. */
    public static String render(Traces traces, String traceId) {
        List<RecordedSpan> trace = traces.trace(traceId);
        if (trace.isEmpty()) {
            return "";
        }
        List<Row> rows = new ArrayList<>();
        Set<RecordedSpan> shown = new LinkedHashSet<>();
        for (RecordedSpan span : trace) { // by start, so roots come in order
            if (traces.parent(span).isEmpty()) {
                addRows(traces, span, 0, traces.parentMissing(span) ? "(parent not collected)" : "", rows, shown);
            }
        }
        long start = rows.stream().mapToLong(row -> row.span().startNanos()).min().orElseThrow();
        long end = rows.stream().mapToLong(row -> row.span().endNanos()).max().orElseThrow();
        int nameWidth = Math.min(MAX_NAME_WIDTH,
                rows.stream().mapToInt(row -> INDENT.length() * row.depth() + row.span().name().length()).max()
                        .orElse(0));
        int serviceWidth = rows.stream().mapToInt(row -> service(row.span()).length()).max().orElse(0);

        StringBuilder out = new StringBuilder();
        out.append("trace ").append(traceId).append(" · ").append(trace.size()).append(trace.size() == 1 ? " span" : " spans")
                .append(" · ").append(String.join(" → ", services(trace))).append(" · ").append(millis(end - start))
                .append('\n');
        for (Row row : rows) {
            String name = INDENT.repeat(row.depth()) + row.span().name();
            if (name.length() > nameWidth) {
                name = name.substring(0, nameWidth - 1) + "…";
            }
            out.append(INDENT).append(pad(name, nameWidth)).append("  ").append(pad(service(row.span()), serviceWidth))
                    .append("  ").append(pad(row.span().kind(), 8)).append(" │")
                    .append(bar(row.span(), start, end)).append("│ ")
                    .append(String.format(Locale.ROOT, "%9s", millis(row.span().durationNanos())))
                    .append(note(row)).append('\n');
        }
        return out.toString();
    }

    private static void addRows(Traces traces, RecordedSpan span, int depth, String note, List<Row> rows,
            Set<RecordedSpan> shown) {
        if (!shown.add(span)) {
            return;
        }
        rows.add(new Row(span, depth, note));
        for (RecordedSpan batch : traces.linkedFrom(span)) {
            if (batch.isBatch()) {
                rows.add(new Row(batch, depth + 1, "↳ linked"));
            }
        }
        for (RecordedSpan child : traces.children(span)) {
            addRows(traces, child, depth + 1, "", rows, shown);
        }
    }

    /** The services of a trace in the order they first appear. */
    private static List<String> services(List<RecordedSpan> trace) {
        Set<String> services = new LinkedHashSet<>();
        trace.forEach(span -> services.add(service(span)));
        return List.copyOf(services);
    }

    private static String service(RecordedSpan span) {
        return span.runtime().equals("nodejs") ? span.service() + " (Node.js)" : span.service();
    }

    private static String bar(RecordedSpan span, long start, long end) {
        double cell = Math.max(1, end - start) / (double) BAR_WIDTH;
        int from = (int) Math.min(BAR_WIDTH - 1, Math.round((span.startNanos() - start) / cell));
        int to = (int) Math.min(BAR_WIDTH, Math.max(from + 1, Math.round((span.endNanos() - start) / cell)));
        return " ".repeat(from) + "█".repeat(to - from) + " ".repeat(BAR_WIDTH - to);
    }

    private static String note(Row row) {
        StringBuilder note = new StringBuilder();
        RecordedSpan span = row.span();
        if (span.isBatch()) {
            note.append(" batch of ").append(span.attribute("messaging.batch.message_count"));
        }
        if (span.error()) {
            note.append(" ERROR");
            String type = span.attribute("error.type");
            if (type != null) {
                note.append(' ').append(type.substring(type.lastIndexOf('.') + 1));
            }
        }
        if (!row.note().isEmpty()) {
            note.append(' ').append(row.note());
        }
        return note.toString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1_000_000.0);
    }
}
