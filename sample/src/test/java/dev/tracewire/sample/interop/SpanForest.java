package dev.tracewire.sample.interop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Exported spans as trace trees, printed for people: one line per span, children indented below their parent. */
final class SpanForest {

    private SpanForest() {
    }

    /** The trees of the traces of {@code spans}; a span whose parent is not among them starts a tree of its own. */
    static String render(List<ExportedSpan> spans) {
        Set<String> ids = spans.stream().map(ExportedSpan::spanId).collect(Collectors.toSet());
        Map<String, List<ExportedSpan>> byTrace = new LinkedHashMap<>();
        spans.forEach(span -> byTrace.computeIfAbsent(span.traceId(), id -> new ArrayList<>()).add(span));
        StringBuilder out = new StringBuilder();
        byTrace.forEach((traceId, members) -> {
            out.append("trace ").append(traceId).append('\n');
            members.stream()
                    .filter(span -> span.isRoot() || !ids.contains(span.parentSpanId()))
                    .forEach(root -> append(out, root, members, 1));
        });
        return out.toString();
    }

    private static void append(StringBuilder out, ExportedSpan span, List<ExportedSpan> members, int depth) {
        out.append("  ".repeat(depth)).append(span.name()).append("  ").append(span.kind())
                .append("  [").append(span.scope()).append("]  ").append(span.spanId());
        if (span.status().equals("ERROR")) {
            out.append("  ERROR");
        }
        if (!span.isRoot()) {
            out.append(" <- ").append(span.parentSpanId());
        }
        out.append('\n');
        members.stream()
                .filter(child -> child.isChildOf(span))
                .sorted(Comparator.comparing(ExportedSpan::name))
                .forEach(child -> append(out, child, members, depth + 1));
    }
}
