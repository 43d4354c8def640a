package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.report.PropagationCount;
import dev.tracewire.sample.report.RecordedSpan;
import java.time.Duration;
import java.util.List;

/**
 * What one run of the pipeline did: the services' own counts, the dead letters as they arrived on
 * NATS, every span of every service (Java and Node.js), and each service's propagation-health counts.
 *
 * @param readings readings the ingest service published
 * @param anomalies anomalies the detector announced
 * @param alerts alerts the Node.js enricher published
 * @param workOrders work orders the orchestrator scheduled
 * @param audited work orders the auditor received
 * @param auditBatches in how many batches
 * @param took from the first service's start to the last one's close
 */
public record PipelineRun(int readings, int anomalies, int alerts, int workOrders, int audited, int auditBatches,
        List<DeadLetter> deadLetters, List<RecordedSpan> spans, List<PropagationCount> propagation, Duration took) {

    public PipelineRun {
        deadLetters = List.copyOf(deadLetters);
        spans = List.copyOf(spans);
        propagation = List.copyOf(propagation);
    }
}
