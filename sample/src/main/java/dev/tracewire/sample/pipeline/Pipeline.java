package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.auditor.AuditorService;
import dev.tracewire.sample.detector.DetectorService;
import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.infra.Telemetry;
import dev.tracewire.sample.ingest.Ingest;
import dev.tracewire.sample.inventory.InventoryService;
import dev.tracewire.sample.orchestrator.OrchestratorService;
import dev.tracewire.sample.report.PropagationCount;
import dev.tracewire.sample.report.SpanCollector;
import io.nats.client.Connection;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One run of the sensor pipeline: the services started as separate processes would be, each with
 * its own SDK ({@code service.name}) and clients, the readings published, the run awaited, the
 * services closed, and what they did collected.
 *
 * <pre>
 * ingest ─Kafka─▶ detector ─Kafka─▶ enricher (Node.js) ─JetStream─▶ orchestrator ─NATS request─▶ inventory
 *                                                                   orchestrator ─Kafka─▶ auditor (batches)
 * </pre>
 */
public final class Pipeline {

    /** The Java services; the enricher is Node.js. */
    public static final List<String> JAVA_SERVICES = List.of("ingest", "detector", "orchestrator", "inventory",
            "auditor");

    private static final Duration TIMEOUT = Duration.ofSeconds(45);
    private static final int READINGS_PER_SECOND = 150;
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> CONTEXT_SOURCE = AttributeKey.stringKey("tracewire.context.source");

    private Pipeline() {
    }

    /**
     * Runs {@code readings} readings through the pipeline on {@code brokers}, with the Node.js
     * enricher of {@code nodePeer}, drawing the progress as it goes.
     *
     * @throws IllegalStateException when a service cannot start, or the run does not finish within 45 s
     */
    public static PipelineRun run(Brokers brokers, Path nodePeer, int readings, Progress progress)
            throws InterruptedException {
        long started = System.nanoTime();
        SpanCollector spans = new SpanCollector();
        Map<String, Telemetry> telemetry = new LinkedHashMap<>();
        Deque<AutoCloseable> services = new ArrayDeque<>();
        boolean finished = false;
        try {
            for (String service : JAVA_SERVICES) {
                telemetry.put(service, Telemetry.create(service, spans));
            }
            Connection setup = brokers.connectNats("pipeline-setup");
            try {
                Topology.create(brokers, setup);
            } finally {
                Brokers.close(setup);
            }
            DeadLetterWatch deadLetters = opened(services, DeadLetterWatch.start(brokers));
            AuditorService auditor = opened(services, AuditorService.start(brokers, telemetry.get("auditor").sdk()));
            opened(services, InventoryService.start(brokers, telemetry.get("inventory").sdk()));
            OrchestratorService orchestrator = opened(services,
                    OrchestratorService.start(brokers, telemetry.get("orchestrator").sdk()));
            Enricher enricher = opened(services, Enricher.start(nodePeer, brokers, spans));
            DetectorService detector = opened(services, DetectorService.start(brokers, telemetry.get("detector").sdk()));
            Ingest ingest = opened(services, Ingest.start(brokers, telemetry.get("ingest").sdk()));

            Counts counts = () -> String.format("readings %d/%d · anomalies %d · alerts %d (Node.js) · work orders %d,"
                    + " %d audited in %d batches · dead letters %d", detector.detector().readings(), readings,
                    detector.detector().detected(), enricher.enriched(), orchestrator.orchestrator().scheduled(),
                    auditor.auditor().orders(), auditor.auditor().batches(), deadLetters.deadLetters().size());
            List<Readings.Planned> planned = Readings.plan(readings, System.currentTimeMillis());
            long sendStart = System.nanoTime();
            for (int i = 0; i < planned.size(); i++) {
                ingest.read(planned.get(i).reading(), planned.get(i).site());
                progress.update(counts::line);
                long due = sendStart + i * 1_000_000_000L / READINGS_PER_SECOND;
                long early = due - System.nanoTime();
                if (early > 0) {
                    Thread.sleep(early / 1_000_000, (int) (early % 1_000_000));
                }
            }
            await(() -> detector.detector().readings() >= readings
                    && orchestrator.orchestrator().scheduled() + deadLetters.deadLetters().size()
                            >= detector.detector().detected()
                    && auditor.auditor().orders() >= orchestrator.orchestrator().scheduled(), progress, counts);
            progress.finish(counts.line());

            int anomalies = detector.detector().detected();
            int alerts = enricher.enriched();
            int workOrders = orchestrator.orchestrator().scheduled();
            closeAll(services); // every span ended and exported, the enricher's read
            finished = true;
            return new PipelineRun(readings, anomalies, alerts, workOrders, auditor.auditor().orders(),
                    auditor.auditor().batches(), deadLetters.deadLetters(), spans.spans(), propagation(telemetry),
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (!finished) {
                closeQuietly(services);
            }
            telemetry.values().forEach(Telemetry::close);
        }
    }

    /** What the progress line says. */
    @FunctionalInterface
    private interface Counts {
        String line();
    }

    private static void await(BooleanSupplier done, Progress progress, Counts counts) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                progress.finish(counts.line());
                throw new IllegalStateException("the pipeline did not finish within " + TIMEOUT + ": " + counts.line());
            }
            progress.update(counts::line);
            Thread.sleep(20);
        }
    }

    private static <T extends AutoCloseable> T opened(Deque<AutoCloseable> services, T service) {
        services.push(service);
        return service;
    }

    /** Closes the services, the last started first; the first failure is thrown after all were closed. */
    private static void closeAll(Deque<AutoCloseable> services) {
        RuntimeException failure = null;
        while (!services.isEmpty()) {
            try {
                services.pop().close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (failure == null) {
                    failure = new IllegalStateException("a service failed to close", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void closeQuietly(Deque<AutoCloseable> services) {
        try {
            closeAll(services);
        } catch (RuntimeException e) {
            System.getLogger(Pipeline.class.getName()).log(System.Logger.Level.WARNING,
                    "closing the services after a failed run", e);
        }
    }

    /** Each Java service's {@code tracewire.propagation.messages}, per destination and context source. */
    private static List<PropagationCount> propagation(Map<String, Telemetry> telemetry) {
        List<PropagationCount> counts = new ArrayList<>();
        telemetry.forEach((service, sdk) -> {
            for (MetricData metric : sdk.metrics()) {
                if (metric.getName().equals("tracewire.propagation.messages")
                        && metric.getType() == MetricDataType.LONG_SUM) {
                    for (LongPointData point : metric.getLongSumData().getPoints()) {
                        counts.add(new PropagationCount(service, point.getAttributes().get(DESTINATION),
                                point.getAttributes().get(CONTEXT_SOURCE), point.getValue()));
                    }
                }
            }
        });
        return counts;
    }
}
