package dev.tracewire.sample.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WaterfallTest {

    @Test
    void drawsEachSpanUnderItsParentWithServiceKindBarAndDuration() {
        Spans trace = Spans.trace("ab");
        RecordedSpan read = trace.add("ingest", "INTERNAL", "read pump-1.vibration", null);
        RecordedSpan send = trace.add("ingest", "PRODUCER", "send sensor.readings", read);
        trace.add("enricher", "nodejs", "CONSUMER", "process sensor.readings", send.spanId(), false, List.of());
        trace.add("detector", "CONSUMER", "process sensor.readings", send);

        String waterfall = Waterfall.render(new Traces(trace.spans()), trace.traceId());

        assertThat(waterfall).isEqualTo("""
                trace abababababababababababababababab · 4 spans · ingest → enricher (Node.js) → detector · 5.0 ms
                  read pump-1.vibration        ingest              INTERNAL │█████████████                   │    2.0 ms
                    send sensor.readings       ingest              PRODUCER │      █████████████             │    2.0 ms
                      process sensor.readings  enricher (Node.js)  CONSUMER │             █████████████      │    2.0 ms
                      process sensor.readings  detector            CONSUMER │                   █████████████│    2.0 ms
                """);
    }

    @Test
    void marksErrorsBatchesLinkedFromOtherTracesAndSpansWhoseParentWasNotCollected() {
        Spans trace = Spans.trace("cd");
        RecordedSpan send = trace.add("orchestrator", "PRODUCER", "send maintenance.work-orders", null);
        trace.add("orchestrator", "java", "CONSUMER", "process alerts.enriched", "ffffffffffffffff", true, List.of(),
                "error.type", "dev.tracewire.sample.orchestrator.PartUnavailableException");
        Spans batchTrace = Spans.trace("ef");
        batchTrace.add("auditor", "java", "CONSUMER", "process maintenance.work-orders", "", false,
                List.of(new RecordedSpan.Link(send.traceId(), send.spanId())), "messaging.batch.message_count", "4");
        batchTrace.add("orchestrator", "java", "PRODUCER", "publish dlq.alerts.enriched", "", false,
                List.of(new RecordedSpan.Link(send.traceId(), send.spanId())));
        List<RecordedSpan> spans = new ArrayList<>(trace.spans());
        spans.addAll(batchTrace.spans());

        List<String> lines = Waterfall.render(new Traces(spans), trace.traceId()).lines().toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("trace cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd · 2 spans · orchestrator · ");
        assertThat(lines.get(1)).startsWith("  send maintenance.work-orders").endsWith("ms");
        assertThat(lines.get(2)).as("a batch linking to a message, under the message's send span")
                .startsWith("    process maintenance.work-orders  auditor").endsWith(" batch of 4 ↳ linked");
        assertThat(lines.get(3)).as("a span whose parent nobody exported is a root of its own")
                .startsWith("  process alerts.enriched").endsWith(" ERROR PartUnavailableException (parent not collected)");
        assertThat(String.join("\n", lines)).as("only a batch is drawn as linked").doesNotContain("dlq");
    }

    @Test
    void aTraceThatWasNotCollectedIsEmpty() {
        assertThat(Waterfall.render(new Traces(List.of()), "00000000000000000000000000000001")).isEmpty();
    }
}
