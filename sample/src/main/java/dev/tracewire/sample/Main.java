package dev.tracewire.sample;

import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.LogFile;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.pipeline.Pipeline;
import dev.tracewire.sample.pipeline.PipelineRun;
import dev.tracewire.sample.pipeline.Progress;
import dev.tracewire.sample.pipeline.Readings;
import dev.tracewire.sample.pipeline.Report;
import dev.tracewire.sample.pipeline.Summary;
import dev.tracewire.sample.report.PropagationCount;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sample: a sensor pipeline of five Java services and a Node.js one, each with its own
 * {@code service.name}, on an in-process Kafka broker and a {@code nats-server} it starts (or on
 * the brokers given), then its traces as waterfalls and a summary of what propagation did. The
 * console shows the sample's own lines; the brokers' and clients' logs, and any stack trace, go to
 * the log file the summary names ({@code --verbose}: to the console too).
 *
 * <pre>
 * ingest ─Kafka─▶ detector ─Kafka─▶ enricher (Node.js) ─JetStream─▶ orchestrator (Spring) ─NATS request─▶ inventory
 *                                                                   orchestrator ─Kafka─▶ auditor (batches)
 * </pre>
 *
 * <p>Exits 0 when every work order's trace reaches back to its reading, no span lost its parent and
 * the injected failure was dead-lettered with its trace; 1 otherwise, 2 for a bad command line.
 */
public final class Main {

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    /** What a run printed its summary from, and the exit status. */
    record Outcome(int status, PipelineRun run, Summary summary) {
    }

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream console = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        int status = run(args, console, Progress.stdoutIsTerminal()).status();
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the sample, printing to {@code console}, not a terminal; everything else goes to the log file. */
    static Outcome run(String[] args, PrintStream console) {
        return run(args, console, false);
    }

    /**
     * Runs the sample, printing to {@code console}; everything else goes to the log file.
     *
     * @param terminal whether {@code console} is a terminal, where the progress line is redrawn in place
     */
    static Outcome run(String[] args, PrintStream console, boolean terminal) {
        Arguments arguments;
        try {
            arguments = Arguments.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                console.println(e.getMessage());
            }
            console.println(Arguments.USAGE);
            return new Outcome(e.getMessage().isEmpty() ? 0 : 2, null, null);
        }
        try (LogFile log = LogFile.capture(arguments.logFile(), arguments.verbose(), console)) {
            try {
                return execute(arguments, console, terminal, log);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.log(System.Logger.Level.ERROR, "the sample failed", e);
                console.println();
                console.println("The sample failed: " + e.getMessage());
                console.println("The log, with the stack trace: " + log.path());
                return new Outcome(1, null, null);
            }
        }
    }

    private static Outcome execute(Arguments arguments, PrintStream console, boolean terminal, LogFile log)
            throws Exception {
        long started = System.nanoTime();
        console.println("tracewire sample: a sensor pipeline of five Java services and one Node.js service,"
                + " each with its own service.name");
        console.println("  ingest ─Kafka─▶ detector ─Kafka─▶ enricher (Node.js) ─JetStream─▶ orchestrator (Spring)"
                + " ─NATS request─▶ inventory");
        console.println("  orchestrator ─Kafka─▶ auditor (batches)");
        try (EmbeddedBrokers embedded = new EmbeddedBrokers()) {
            Brokers brokers = new Brokers(
                    arguments.kafka() != null ? arguments.kafka() : embedded.startKafka(console),
                    arguments.nats() != null ? arguments.nats() : embedded.startNats(console));
            if (arguments.kafka() != null) {
                console.println("Kafka: " + brokers.kafka());
            }
            if (arguments.nats() != null) {
                console.println("NATS: " + brokers.nats());
            }
            console.printf("Publishing %d readings; the one from %s fails downstream: its spare part cannot be"
                    + " reserved.%n", arguments.readings(), Readings.FAILING_SENSOR);
            PipelineRun run = Pipeline.run(brokers, arguments.nodePeer(), arguments.readings(),
                    new Progress(console, terminal));
            Summary summary = Summary.of(run);
            console.println();
            console.print(Report.traces(run, summary));
            console.print(Report.summary(run, summary));
            List<String> problems = problems(run, summary);
            console.printf(Locale.ROOT, "  %-20s %.1f s (the pipeline: %.1f s); the log: %s%n", "took",
                    (System.nanoTime() - started) / 1e9, run.took().toNanos() / 1e9, log.path());
            if (!problems.isEmpty()) {
                console.println("Propagation did not hold: " + String.join("; ", problems));
            }
            return new Outcome(problems.isEmpty() ? 0 : 1, run, summary);
        }
    }

    /** What the summary shows that should not be. */
    static List<String> problems(PipelineRun run, Summary summary) {
        List<String> problems = new ArrayList<>();
        if (!summary.orphans().isEmpty()) {
            problems.add(summary.orphans().size() + " spans lost their parent");
        }
        if (summary.tracedWorkOrders() != summary.workOrders() || summary.workOrders() != run.workOrders()) {
            problems.add((summary.workOrders() - summary.tracedWorkOrders()) + " of " + run.workOrders()
                    + " work orders do not reach back to their reading through the Node.js service");
        }
        if (summary.auditedWorkOrders() != run.workOrders() || run.audited() != run.workOrders()) {
            problems.add("the auditor's batches do not link to every work order");
        }
        if (summary.deadLetters().size() != 1 || !summary.deadLetters().get(0).reachesReading()) {
            problems.add("the injected failure was not dead-lettered once with its trace intact");
        }
        for (PropagationCount count : run.propagation()) {
            if (!count.source().equals("header")) {
                problems.add(count.service() + " received " + count.messages() + " messages on " + count.destination()
                        + " whose context was " + count.source());
            }
        }
        return problems;
    }

    /**
     * The brokers the sample starts when none are given, stopped on close (their folders deleted),
     * and also when the JVM is stopped (Ctrl-C), with every child process, so that nothing stays behind.
     */
    private static final class EmbeddedBrokers implements AutoCloseable {
        private volatile EmbeddedKafka kafka;
        private volatile NatsServerProcess nats;
        private final Thread shutdownHook = new Thread(this::stop, "tracewire-sample-shutdown");

        EmbeddedBrokers() {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        String startKafka(PrintStream console) {
            kafka = EmbeddedKafka.start();
            console.printf(Locale.ROOT, "Kafka: in-process KRaft broker at %s (started in %.1f s)%n",
                    kafka.bootstrapServers(), kafka.startupTime().toMillis() / 1e3);
            return kafka.bootstrapServers();
        }

        String startNats(PrintStream console) {
            long started = System.nanoTime();
            nats = NatsServerProcess.start();
            console.printf(Locale.ROOT, "NATS: nats-server with JetStream at %s (started in %.1f s)%n", nats.url(),
                    (System.nanoTime() - started) / 1e9);
            return nats.url();
        }

        private void stop() {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
            if (nats != null) {
                nats.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                return; // the hook stops them
            }
            if (nats != null) {
                LOG.log(System.Logger.Level.INFO, "nats-server's output:\n" + nats.log());
                nats.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
