package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.report.PropagationCount;
import dev.tracewire.sample.report.RecordedSpan;
import dev.tracewire.sample.report.Traces;
import dev.tracewire.sample.report.Waterfall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A run as text: a few traces as waterfalls, and the summary. */
public final class Report {

    private static final String LABEL = "  %-20s ";

    private Report() {
    }

    /** The waterfalls of the summary's example traces. */
    public static String traces(PipelineRun run, Summary summary) {
        Traces traces = new Traces(run.spans());
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d of %d traces, as each service's SDK recorded them:%n%n",
                summary.examples().size(), traces.traceIds().size()));
        for (Summary.Example example : summary.examples()) {
            out.append(example.title()).append('\n').append(Waterfall.render(traces, example.traceId())).append('\n');
        }
        return out.toString();
    }

    /** The summary: messages per hop, traces, hops, orphans, errors, dead letters, propagation health. */
    public static String summary(PipelineRun run, Summary summary) {
        StringBuilder out = new StringBuilder("Summary\n");
        int hopWidth = summary.hops().stream().mapToInt(count -> hopName(count.hop()).length()).max().orElse(0);
        int viaWidth = summary.hops().stream().mapToInt(count -> count.hop().via().length()).max().orElse(0);
        int destinationWidth = summary.hops().stream().mapToInt(count -> count.hop().destination().length()).max()
                .orElse(0);
        String row = "    %-" + hopWidth + "s  %-" + viaWidth + "s  %-" + destinationWidth + "s %6s %9s%s%n";
        out.append(String.format(Locale.ROOT, "  %-" + (hopWidth + 2) + "s  %-" + viaWidth + "s  %-" + destinationWidth
                + "s %6s %9s%n", "messages per hop", "via", "destination", "sent", "received"));
        for (Summary.HopCount count : summary.hops()) {
            Topology.Hop hop = count.hop();
            boolean deadLetters = hop.destination().equals(Topology.DEAD_LETTERS);
            boolean batches = hop.via().contains("batch");
            String note = deadLetters ? "  (kept by the stream DEAD_LETTERS)"
                    : batches ? String.format(Locale.ROOT, "  (in %d batches)", count.attempts())
                    : count.attempts() > count.received() ? String.format(Locale.ROOT, "  (%d deliveries: %d retried)",
                            count.attempts(), count.attempts() - count.received())
                    : "";
            out.append(String.format(Locale.ROOT, row, hopName(hop), hop.via(), hop.destination(),
                    count.sent(), deadLetters ? run.deadLetters().size() : count.received(), note));
        }
        line(out, "traces", String.format(Locale.ROOT, "%d readings, one trace each; %d audit batches, each its own"
                + " trace linked to its work orders", summary.readingTraces(), summary.auditBatches()));
        line(out, "hops per trace", summary.hopsPerTrace().entrySet().stream()
                .map(entry -> entry.getKey() + (entry.getKey() == 1 ? " hop: " : " hops: ") + entry.getValue())
                .collect(Collectors.joining(" · ")) + " (messages received; an audit batch's link counts)");
        line(out, "orphan spans", summary.orphans().size() + " (spans with no parent where one was expected)"
                + summary.orphans().stream().limit(5).map(span -> "\n" + " ".repeat(25) + span)
                        .collect(Collectors.joining()));
        line(out, "errors", errors(summary.errors()));
        line(out, "dead letters", deadLetters(summary));
        line(out, "work orders", String.format(Locale.ROOT, "%d scheduled · %d trace back to their reading through Java"
                + " and Node.js · %d linked from the auditor's batches (it read %d in %d batches)", summary.workOrders(),
                summary.tracedWorkOrders(), summary.auditedWorkOrders(), run.audited(), run.auditBatches()));
        line(out, "propagation health", "tracewire.propagation.messages, read from each Java service's metric reader:");
        Map<String, List<PropagationCount>> byDestination = run.propagation().stream().collect(Collectors.groupingBy(
                count -> count.service() + " " + count.destination(), LinkedHashMap::new, Collectors.toList()));
        byDestination.forEach((where, counts) -> out.append(String.format(Locale.ROOT, "    %-13s %-24s %s%n",
                counts.get(0).service(), counts.get(0).destination(), counts.stream()
                        .map(count -> count.source() + " " + count.messages()).collect(Collectors.joining(", ")))));
        return out.toString();
    }

    private static String hopName(Topology.Hop hop) {
        return hop.from() + " → " + hop.to();
    }

    private static void line(StringBuilder out, String label, String text) {
        out.append(String.format(Locale.ROOT, LABEL, label)).append(text).append('\n');
    }

    private static String errors(List<RecordedSpan> errors) {
        if (errors.isEmpty()) {
            return "0";
        }
        Map<String, Long> kinds = errors.stream().collect(Collectors.groupingBy(
                span -> span.name() + " [" + span.service() + "] " + simpleName(span.attribute("error.type")),
                LinkedHashMap::new, Collectors.counting()));
        List<String> parts = new ArrayList<>();
        kinds.forEach((kind, count) -> parts.add(count + " × " + kind));
        return errors.size() + " spans with status ERROR: " + String.join(", ", parts);
    }

    private static String deadLetters(Summary summary) {
        if (summary.deadLetters().isEmpty()) {
            return "0";
        }
        String indent = "\n" + " ".repeat(String.format(Locale.ROOT, LABEL, "").length());
        Function<Summary.DeadLetterTrace, String> describe = deadLetter -> String.format(Locale.ROOT,
                "%s: %d failed attempts, \"%s\"%s%s", deadLetter.reading(), deadLetter.failedAttempts(),
                deadLetter.reason(), indent, deadLetter.reachesReading()
                        ? "its trace is intact: its traceparent is its send span, which reaches back to the reading"
                                + " through the Node.js enricher"
                        : "its trace is BROKEN: its send span does not reach back to the reading");
        return summary.deadLetters().size() + ", " + summary.deadLetters().stream().map(describe)
                .collect(Collectors.joining(indent));
    }

    private static String simpleName(String type) {
        return type == null ? "" : type.substring(type.lastIndexOf('.') + 1);
    }
}
