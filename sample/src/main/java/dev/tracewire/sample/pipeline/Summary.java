package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.report.RecordedSpan;
import dev.tracewire.sample.report.Traces;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the spans of a run say about propagation: the messages of each hop, the traces and their
 * hops, the spans that lost their parent, the errors, and whether each work order and each dead
 * letter reaches back to its reading through the Node.js service.
 *
 * @param hops each hop of {@link Topology#HOPS} with its counts
 * @param readingTraces traces that start at a reading of the ingest service
 * @param auditBatches the auditor's batch spans: roots by design, linked to their work orders
 * @param hopsPerTrace how many reading traces had how many hops: messages that were received
 *                     (a batch's link counts as receiving), retries not counted again
 * @param orphans spans with no parent, or a parent nobody exported, where one was expected (every
 *                span but a reading's and a batch's)
 * @param errors the spans with status ERROR
 * @param workOrders the orchestrator's work-order send spans
 * @param tracedWorkOrders those whose ancestors reach a reading's span through a Node.js span
 * @param auditedWorkOrders those a batch span of the auditor links to
 * @param deadLetters each dead letter with what its trace holds
 * @param examples traces worth drawing: a plain reading, one that became a work order, one dead-lettered
 */
public record Summary(List<HopCount> hops, int readingTraces, int auditBatches, SortedMap<Integer, Integer> hopsPerTrace,
        List<RecordedSpan> orphans, List<RecordedSpan> errors, int workOrders, int tracedWorkOrders,
        int auditedWorkOrders, List<DeadLetterTrace> deadLetters, List<Example> examples) {

    /** A trace worth drawing, and what it shows. */
    public record Example(String title, String traceId) {
    }

    /**
     * One hop's messages.
     *
     * @param sent send (or request) spans of the sending service
     * @param received messages the receiving service processed: a batch's message count, else process
     *                 spans of distinct messages
     * @param attempts process spans, retries included (a batch counts once)
     */
    public record HopCount(Topology.Hop hop, int sent, int received, int attempts) {
    }

    /**
     * A dead letter and its trace.
     *
     * @param traceId the trace of its {@code traceparent} header
     * @param reading the name of that trace's first span: the reading it came from
     * @param publishedBySpan whether its {@code traceparent} is the span id of the orchestrator's
     *                        dead-letter send span, in that trace
     * @param failedAttempts the ERROR process spans in that trace
     * @param reachesReading whether that send span's ancestors reach the reading through a Node.js span
     * @param reason its {@code nats_dlt-exception-message} header
     */
    public record DeadLetterTrace(String traceId, String reading, boolean publishedBySpan, int failedAttempts,
            boolean reachesReading, String reason) {
    }

    public static Summary of(PipelineRun run) {
        Traces traces = new Traces(run.spans());
        List<RecordedSpan> spans = traces.spans();
        List<String> readingTraces = spans.stream().filter(Summary::isReading).map(RecordedSpan::traceId).toList();

        SortedMap<Integer, Integer> hopsPerTrace = new TreeMap<>();
        for (String traceId : readingTraces) {
            hopsPerTrace.merge(hops(traces, traceId), 1, Integer::sum);
        }
        List<RecordedSpan> orphans = spans.stream()
                .filter(span -> !isReading(span) && !span.isBatch())
                .filter(span -> span.isRoot() || traces.parentMissing(span))
                .toList();
        List<RecordedSpan> workOrders = spans.stream()
                .filter(span -> span.kind().equals("PRODUCER") && Topology.WORK_ORDERS.equals(span.destination()))
                .toList();
        int traced = (int) workOrders.stream().filter(span -> reachesReadingThroughNode(traces, span)).count();
        int audited = (int) workOrders.stream()
                .filter(span -> traces.linkedFrom(span).stream().anyMatch(batch -> batch.service().equals("auditor")))
                .count();
        List<DeadLetterTrace> deadLetters = run.deadLetters().stream().map(deadLetter -> trace(traces, deadLetter))
                .toList();
        return new Summary(hopCounts(spans), readingTraces.size(),
                (int) spans.stream().filter(RecordedSpan::isBatch).count(), hopsPerTrace, orphans,
                spans.stream().filter(RecordedSpan::error).toList(), workOrders.size(), traced, audited, deadLetters,
                examples(traces, readingTraces, workOrders, deadLetters));
    }

    /** A reading's span: the root of its trace, made by the ingest service. */
    static boolean isReading(RecordedSpan span) {
        return span.service().equals("ingest") && span.kind().equals("INTERNAL") && span.isRoot();
    }

    private static List<HopCount> hopCounts(List<RecordedSpan> spans) {
        List<HopCount> counts = new ArrayList<>();
        for (Topology.Hop hop : Topology.HOPS) {
            int sent = (int) spans.stream().filter(span -> span.service().equals(hop.from())
                    && span.kind().equals("PRODUCER") && hop.destination().equals(span.destination())).count();
            List<RecordedSpan> processed = spans.stream().filter(span -> span.service().equals(hop.to())
                    && span.kind().equals("CONSUMER") && hop.destination().equals(span.destination())).toList();
            int received = processed.stream().mapToInt(span -> span.isBatch()
                    ? Integer.parseInt(span.attribute("messaging.batch.message_count")) : 0).sum()
                    + (int) processed.stream().filter(span -> !span.isBatch()).map(RecordedSpan::parentSpanId)
                            .distinct().count();
            counts.add(new HopCount(hop, sent, received, processed.size()));
        }
        return counts;
    }

    /** The messages of a trace that someone received: send spans with a process span under them, or a batch's link. */
    private static int hops(Traces traces, String traceId) {
        return (int) traces.trace(traceId).stream()
                .filter(span -> span.kind().equals("PRODUCER"))
                .filter(span -> !traces.linkedFrom(span).isEmpty()
                        || traces.children(span).stream().anyMatch(child -> child.kind().equals("CONSUMER")))
                .count();
    }

    private static boolean reachesReadingThroughNode(Traces traces, RecordedSpan span) {
        List<RecordedSpan> ancestors = traces.ancestors(span);
        return !ancestors.isEmpty() && isReading(ancestors.get(ancestors.size() - 1))
                && ancestors.stream().anyMatch(ancestor -> ancestor.runtime().equals("nodejs"));
    }

    private static DeadLetterTrace trace(Traces traces, DeadLetter deadLetter) {
        List<RecordedSpan> trace = traces.trace(deadLetter.traceId());
        RecordedSpan publish = trace.stream().filter(span -> span.spanId().equals(deadLetter.parentSpanId()))
                .findFirst().orElse(null);
        boolean publishedBySpan = publish != null && publish.kind().equals("PRODUCER")
                && deadLetter.subject().equals(publish.destination());
        return new DeadLetterTrace(deadLetter.traceId(), trace.isEmpty() ? "" : traces.top(trace.get(0)).name(),
                publishedBySpan,
                (int) trace.stream().filter(span -> span.error() && span.kind().equals("CONSUMER")).count(),
                publishedBySpan && reachesReadingThroughNode(traces, publish),
                deadLetter.headers().getOrDefault("nats_dlt-exception-message", ""));
    }

    /**
     * Three traces to draw: a reading within its limit, one that became an audited work order, and
     * the first dead letter's. The first two from the second half of the run when it has them, past
     * the consumers' warm-up.
     */
    private static List<Example> examples(Traces traces, List<String> readingTraces, List<RecordedSpan> workOrders,
            List<DeadLetterTrace> deadLetters) {
        List<String> later = readingTraces.subList(readingTraces.size() / 2, readingTraces.size());
        List<String> preferred = new ArrayList<>(later);
        readingTraces.stream().filter(id -> !later.contains(id)).forEach(preferred::add);
        List<Example> examples = new ArrayList<>();
        preferred.stream().filter(id -> hops(traces, id) == 1).findFirst()
                .ifPresent(id -> examples.add(new Example("A reading within its limit:", id)));
        preferred.stream().filter(id -> workOrders.stream().anyMatch(span -> span.traceId().equals(id)
                        && traces.linkedFrom(span).stream().anyMatch(RecordedSpan::isBatch)))
                .findFirst().ifPresent(id -> examples.add(new Example("A reading beyond its limit, through the"
                        + " Node.js enricher to a work order that the auditor reads in a batch:", id)));
        deadLetters.stream().map(DeadLetterTrace::traceId).filter(id -> !id.isEmpty()).findFirst()
                .ifPresent(id -> examples.add(new Example("The injected failure: the part cannot be reserved, three"
                        + " attempts, then a dead letter:", id)));
        return List.copyOf(examples);
    }
}
