package dev.tracewire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.pipeline.DeadLetter;
import dev.tracewire.sample.pipeline.Pipeline;
import dev.tracewire.sample.pipeline.PipelineRun;
import dev.tracewire.sample.pipeline.Readings;
import dev.tracewire.sample.pipeline.Topology;
import dev.tracewire.sample.report.PropagationCount;
import dev.tracewire.sample.report.RecordedSpan;
import dev.tracewire.sample.report.Traces;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sample as README's run command runs it (its own in-process Kafka, its own nats-server, the
 * Node.js enricher), and on brokers given with --kafka and --nats: what it prints, what its spans
 * say when read here on their own, and what it leaves behind.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
class SamplePipelineTest {

    /** The way from a reading to a work order: service and span name, the reading's span first. */
    private static final List<String> READING_TO_WORK_ORDER = List.of(
            "ingest: read", "ingest: send sensor.readings", "detector: process sensor.readings",
            "detector: send sensor.anomalies", "enricher: process sensor.anomalies", "enricher: publish alerts.enriched",
            "orchestrator: process alerts.enriched", "orchestrator: send maintenance.work-orders");

    @TempDir
    Path folder;

    @Test
    void theRunCommandsPipelineTracesEveryWorkOrderBackToItsReadingAcrossJavaAndNode() throws Exception {
        Set<String> tempFoldersBefore = tempFolders();
        Set<Long> childrenBefore = children();
        Path log = folder.resolve("sample.log");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Main.Outcome outcome = Main.run(new String[] {"--log", log.toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.println(output);
        assertThat(outcome.status()).as(output).isZero();
        PipelineRun run = outcome.run();
        Traces traces = new Traces(run.spans());
        assertThat(run.readings()).isEqualTo(300);
        assertThat(run.spans()).as("every service's spans, each with its own service.name")
                .extracting(RecordedSpan::service).containsAll(Pipeline.JAVA_SERVICES).contains("enricher");

        List<RecordedSpan> workOrders = run.spans().stream()
                .filter(span -> span.kind().equals("PRODUCER") && Topology.WORK_ORDERS.equals(span.destination()))
                .toList();
        assertThat(workOrders).hasSize(run.workOrders()).hasSizeGreaterThan(5);
        for (RecordedSpan workOrder : workOrders) {
            List<RecordedSpan> way = new ArrayList<>(traces.ancestors(workOrder));
            Collections.reverse(way);
            way.add(workOrder);
            assertThat(way).as("from the reading to %s", workOrder)
                    .extracting(span -> span.service() + ": " + (span.name().startsWith("read ") ? "read" : span.name()))
                    .containsExactlyElementsOf(READING_TO_WORK_ORDER);
            assertThat(way.get(0).isRoot()).isTrue();
            assertThat(way).filteredOn(span -> span.service().equals("enricher"))
                    .allSatisfy(span -> assertThat(span.runtime()).isEqualTo("nodejs"));
            assertThat(traces.linkedFrom(workOrder)).as("the auditor's batch of %s", workOrder).singleElement()
                    .satisfies(batch -> {
                        assertThat(batch.service()).isEqualTo("auditor");
                        assertThat(batch.isBatch()).isTrue();
                    });
        }
        assertThat(outcome.summary().orphans()).isEmpty();
        assertThat(run.spans()).as("every span but a reading's and a batch's has its parent")
                .filteredOn(span -> !(span.service().equals("ingest") && span.name().startsWith("read "))
                        && !span.isBatch())
                .allSatisfy(span -> assertThat(traces.parent(span)).as("parent of %s", span).isPresent());

        assertThatTheInjectedFailureWasDeadLetteredWithItsTrace(run, traces);
        assertThat(run.propagation()).as("every message carried its context in its headers")
                .allSatisfy(count -> assertThat(count.source()).isEqualTo("header"))
                .filteredOn(count -> count.service().equals("detector")).extracting(PropagationCount::messages)
                .containsExactly(300L);

        assertThat(output).contains("orphan spans         0 ", "(Node.js)", "↳ linked", "Summary",
                "propagation health", "tracewire.propagation.messages", "work orders", log.toString());
        assertThat(output).as("no stack trace, no broker log on the console")
                .doesNotContain("\tat ", "Exception:", " INFO ", " WARN", "SLF4J");
        assertThat(Files.readString(log)).as("they went to the log file")
                .contains("WARNING dev.tracewire.runtime.internal.FailureStep",
                        "\tat dev.tracewire.sample.orchestrator.Orchestrator.onAlert", "enricher: ENRICHER ready",
                        "nats-server's output");
        assertThat(children()).as("no nats-server, no node left").isSubsetOf(childrenBefore);
        assertThat(tempFolders()).as("no temporary folder left").isEqualTo(tempFoldersBefore);
    }

    private static void assertThatTheInjectedFailureWasDeadLetteredWithItsTrace(PipelineRun run, Traces traces) {
        RecordedSpan reading = run.spans().stream()
                .filter(span -> span.name().equals("read " + Readings.FAILING_SENSOR)).findFirst().orElseThrow();
        assertThat(run.deadLetters()).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.subject()).isEqualTo(Topology.DEAD_LETTERS);
            assertThat(deadLetter.traceId()).as("its traceparent").isEqualTo(reading.traceId());
            assertThat(deadLetter.headers()).containsEntry("nats_dlt-original-subject", Topology.ALERTS)
                    .containsEntry("nats_dlt-attempts", "3")
                    .containsEntry("nats_dlt-exception-fqcn",
                            "dev.tracewire.sample.orchestrator.PartUnavailableException");
            RecordedSpan publish = traces.trace(reading.traceId()).stream()
                    .filter(span -> span.spanId().equals(deadLetter.parentSpanId())).findFirst().orElseThrow();
            assertThat(publish.service() + ": " + publish.kind() + " " + publish.name())
                    .isEqualTo("orchestrator: PRODUCER publish " + Topology.DEAD_LETTERS);
            assertThat(traces.ancestors(publish)).extracting(span -> span.service() + ": " + span.name())
                    .containsExactly("orchestrator: process alerts.enriched", "enricher: publish alerts.enriched",
                            "enricher: process sensor.anomalies", "detector: send sensor.anomalies",
                            "detector: process sensor.readings", "ingest: send sensor.readings",
                            "ingest: read " + Readings.FAILING_SENSOR);
        });
        assertThat(traces.trace(reading.traceId())).as("three attempts, each an ERROR span under the Node.js publish")
                .filteredOn(span -> span.name().equals("process alerts.enriched"))
                .hasSize(3)
                .allSatisfy(attempt -> {
                    assertThat(attempt.error()).isTrue();
                    assertThat(traces.parent(attempt).orElseThrow().runtime()).isEqualTo("nodejs");
                });
    }

    @Test
    void runsOnTheBrokersItIsGiven(EmbeddedKafka kafka, NatsServerProcess nats) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Main.Outcome outcome = Main.run(new String[] {"--kafka", kafka.bootstrapServers(), "--nats", nats.url(),
                "--readings", "40", "--log", folder.resolve("external.log").toString()},
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(outcome.status()).as(output).isZero();
        assertThat(output).contains("Kafka: " + kafka.bootstrapServers(), "NATS: " + nats.url())
                .doesNotContain("in-process", "nats-server with JetStream at");
        assertThat(outcome.run().readings()).isEqualTo(40);
        assertThat(outcome.summary().orphans()).isEmpty();
        assertThat(outcome.run().deadLetters()).extracting(DeadLetter::subject).containsExactly(Topology.DEAD_LETTERS);
    }

    private static Set<Long> children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static Set<String> tempFolders() throws IOException {
        try (Stream<Path> entries = Files.list(new File(System.getProperty("java.io.tmpdir")).toPath())) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> name.startsWith("tracewire-kafka-") || name.startsWith("tracewire-nats-"))
                    .collect(Collectors.toSet());
        }
    }
}
