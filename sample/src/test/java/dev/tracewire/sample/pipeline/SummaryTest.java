package dev.tracewire.sample.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tracewire.sample.report.RecordedSpan;
import dev.tracewire.sample.report.Spans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary's judgement on spans made by hand: whole traces, and the ways propagation breaks. */
class SummaryTest {

    /** One reading's trace, as the pipeline makes it, to a work order or (failing) to a dead letter. */
    private record Flow(Spans trace, RecordedSpan workOrderOrDeadLetter) {
    }

    private static Flow flow(String traceId, boolean fails, boolean nodeKeepsTheContext) {
        Spans trace = Spans.trace(traceId);
        RecordedSpan read = trace.add("ingest", "INTERNAL", "read pump-1.vibration", null);
        RecordedSpan readings = trace.add("ingest", "PRODUCER", "send sensor.readings", read,
                "messaging.destination.name", Topology.READINGS);
        RecordedSpan detect = trace.add("detector", "CONSUMER", "process sensor.readings", readings,
                "messaging.destination.name", Topology.READINGS);
        RecordedSpan anomalies = trace.add("detector", "PRODUCER", "send sensor.anomalies", detect,
                "messaging.destination.name", Topology.ANOMALIES);
        RecordedSpan enrich = trace.add("enricher", "nodejs", "CONSUMER", "process sensor.anomalies",
                nodeKeepsTheContext ? anomalies.spanId() : "", false, List.of(),
                "messaging.destination.name", Topology.ANOMALIES);
        RecordedSpan alerts = trace.add("enricher", "nodejs", "PRODUCER", "publish alerts.enriched",
                enrich.spanId(), false, List.of(), "messaging.destination.name", Topology.ALERTS);
        RecordedSpan orchestrate = trace.add("orchestrator", "java", "CONSUMER", "process alerts.enriched",
                alerts.spanId(), fails, List.of(), "messaging.destination.name", Topology.ALERTS);
        RecordedSpan request = trace.add("orchestrator", "PRODUCER", "request inventory.reserve", orchestrate,
                "messaging.destination.name", Topology.INVENTORY);
        trace.add("inventory", "CONSUMER", "process inventory.reserve", request,
                "messaging.destination.name", Topology.INVENTORY);
        String destination = fails ? Topology.DEAD_LETTERS : Topology.WORK_ORDERS;
        RecordedSpan last = trace.add("orchestrator", "PRODUCER", (fails ? "publish " : "send ") + destination,
                orchestrate, "messaging.destination.name", destination);
        return new Flow(trace, last);
    }

    private static RecordedSpan batchOf(String traceId, RecordedSpan... workOrders) {
        List<RecordedSpan.Link> links = new ArrayList<>();
        for (RecordedSpan workOrder : workOrders) {
            links.add(new RecordedSpan.Link(workOrder.traceId(), workOrder.spanId()));
        }
        return Spans.trace(traceId).add("auditor", "java", "CONSUMER", "process maintenance.work-orders", "", false,
                links, "messaging.destination.name", Topology.WORK_ORDERS, "messaging.batch.message_count",
                Integer.toString(workOrders.length));
    }

    private static PipelineRun run(List<RecordedSpan> spans, List<DeadLetter> deadLetters) {
        return new PipelineRun(2, 2, 2, 1, 1, 1, deadLetters, spans, List.of(), Duration.ofSeconds(1));
    }

    private static DeadLetter deadLetterOf(RecordedSpan publish) {
        return new DeadLetter(Topology.DEAD_LETTERS, Map.of(
                "traceparent", "00-" + publish.traceId() + "-" + publish.spanId() + "-01",
                "nats_dlt-exception-message", "cannot reserve"));
    }

    @Test
    void wholeTracesHaveNoOrphansAndEveryWorkOrderAndDeadLetterReachesItsReadingThroughNode() {
        Flow ok = flow("a1", false, true);
        Flow failing = flow("b2", true, true);
        List<RecordedSpan> spans = new ArrayList<>(ok.trace().spans());
        spans.addAll(failing.trace().spans());
        spans.add(batchOf("c3", ok.workOrderOrDeadLetter()));

        Summary summary = Summary.of(run(spans, List.of(deadLetterOf(failing.workOrderOrDeadLetter()))));

        assertThat(summary.orphans()).isEmpty();
        assertThat(summary.readingTraces()).isEqualTo(2);
        assertThat(summary.auditBatches()).isEqualTo(1);
        assertThat(summary.workOrders()).isEqualTo(1);
        assertThat(summary.tracedWorkOrders()).isEqualTo(1);
        assertThat(summary.auditedWorkOrders()).isEqualTo(1);
        assertThat(summary.hopsPerTrace()).as("readings, anomalies, alerts, the request, and the batch's link or not")
                .containsExactly(Map.entry(4, 1), Map.entry(5, 1));
        assertThat(summary.errors()).extracting(RecordedSpan::name).containsExactly("process alerts.enriched");
        assertThat(summary.deadLetters()).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.traceId()).isEqualTo(failing.trace().traceId());
            assertThat(deadLetter.reading()).isEqualTo("read pump-1.vibration");
            assertThat(deadLetter.publishedBySpan()).isTrue();
            assertThat(deadLetter.failedAttempts()).isEqualTo(1);
            assertThat(deadLetter.reachesReading()).isTrue();
        });
        assertThat(summary.hops()).filteredOn(count -> count.hop().destination().equals(Topology.WORK_ORDERS))
                .singleElement().satisfies(count -> {
                    assertThat(count.sent()).isEqualTo(1);
                    assertThat(count.received()).isEqualTo(1);
                    assertThat(count.attempts()).isEqualTo(1);
                });
        assertThat(summary.examples()).extracting(Summary.Example::traceId)
                .containsExactly(ok.trace().traceId(), failing.trace().traceId());
    }

    @Test
    void aNodeConsumerThatLostTheContextIsAnOrphanAndItsWorkOrderDoesNotReachTheReading() {
        Flow broken = flow("d4", false, false);
        List<RecordedSpan> spans = new ArrayList<>(broken.trace().spans());
        spans.add(batchOf("e5", broken.workOrderOrDeadLetter()));

        Summary summary = Summary.of(run(spans, List.of()));

        assertThat(summary.orphans()).extracting(RecordedSpan::name).containsExactly("process sensor.anomalies");
        assertThat(summary.workOrders()).isEqualTo(1);
        assertThat(summary.tracedWorkOrders()).isZero();
        assertThat(summary.auditedWorkOrders()).as("the batch still links to it").isEqualTo(1);
    }

    @Test
    void aSpanWhoseParentNobodyExportedIsAnOrphanAndADeadLetterOfAnotherSpanIsNotIntact() {
        Flow failing = flow("f6", true, true);
        List<RecordedSpan> spans = failing.trace().spans().stream()
                .filter(span -> !span.name().equals("send sensor.anomalies")) // the detector's send span, lost
                .toList();
        RecordedSpan notThePublisher = spans.get(0);

        Summary summary = Summary.of(run(spans, List.of(deadLetterOf(failing.workOrderOrDeadLetter()),
                deadLetterOf(notThePublisher))));

        assertThat(summary.orphans()).extracting(RecordedSpan::name).containsExactly("process sensor.anomalies");
        assertThat(summary.deadLetters()).extracting(Summary.DeadLetterTrace::publishedBySpan,
                Summary.DeadLetterTrace::reachesReading).containsExactly(
                        tuple(true, false),
                        tuple(false, false));
    }
}
