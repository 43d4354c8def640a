package dev.tracewire.sample.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.infra.Program;
import dev.tracewire.sample.report.RecordedSpan;
import dev.tracewire.sample.report.SpanCollector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Node.js enricher ({@code node-peer/enricher.js}) as a child process: its spans, read from its
 * output into the {@link SpanCollector}; its other lines, into the log. Closing it closes its
 * standard input, on which it leaves its consumer group and exits; one that does not is killed,
 * with its children.
 */
final class Enricher implements AutoCloseable {

    /** Names the {@code node} program, overriding the search on PATH. */
    static final String NODE_VARIABLE = "NODE_BINARY";

    private static final System.Logger LOG = System.getLogger("dev.tracewire.sample.enricher");
    private static final Program NODE = new Program("node", NODE_VARIABLE, "install Node.js 20 or later"
            + " (Debian: apt-get install -y nodejs npm), or point " + NODE_VARIABLE + " at the node program");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(10);
    private static final int KEPT_LINES = 20;

    private final Process process;
    private final SpanCollector spans;
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicInteger enriched = new AtomicInteger();
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final List<Thread> readers;

    private Enricher(Process process, SpanCollector spans) {
        this.process = process;
        this.spans = spans;
        this.readers = List.of(reader(process.getInputStream(), "out", true),
                reader(process.getErrorStream(), "err", false));
    }

    /**
     * Starts {@code enricher.js} of {@code peerDirectory} and waits until its consumer joined its
     * group.
     *
     * @throws IllegalStateException when Node.js or the peer's packages are missing, or it does not get ready
     */
    static Enricher start(Path peerDirectory, Brokers brokers, SpanCollector spans) throws InterruptedException {
        Path node = NODE.require(System.getenv(), List.of(Paths.get("/usr/bin"), Paths.get("/usr/local/bin")),
                "for the Node.js enricher");
        if (!Files.isDirectory(peerDirectory.resolve("node_modules"))) {
            throw new IllegalStateException("the Node.js enricher's packages are not installed: run (cd " + peerDirectory
                    + " && npm ci); the build's set-up step does when npm is there");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrapServers", brokers.kafka().split(",")[0]);
        config.put("natsUrl", brokers.nats());
        config.put("anomalies", Topology.ANOMALIES);
        config.put("alerts", Topology.ALERTS);
        config.put("group", "enricher");
        Process process;
        try {
            process = new ProcessBuilder(node.toString(), "enricher.js", JSON.writeValueAsString(config))
                    .directory(peerDirectory.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + node + " enricher.js in " + peerDirectory, e);
        }
        Enricher enricher = new Enricher(process, spans);
        try {
            enricher.awaitReady();
            return enricher;
        } catch (RuntimeException | InterruptedException e) {
            enricher.close();
            throw e;
        }
    }

    private void awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready.await(50, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("the Node.js enricher " + (process.isAlive()
                        ? "did not join its consumer group within " + READY_TIMEOUT
                        : "exited with " + process.exitValue()) + "; its last lines:\n" + lastLines());
            }
        }
    }

    /** How many alerts it published so far. */
    int enriched() {
        return enriched.get();
    }

    private Thread reader(InputStream stream, String name, boolean stdout) {
        Thread reader = new Thread(() -> read(stream, stdout), "enricher-" + name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void read(InputStream stream, boolean stdout) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (stdout && line.startsWith("SPAN ")) {
                    spans.add(RecordedSpan.ofOtlpJson(JSON.readTree(line.substring("SPAN ".length()))));
                    continue;
                }
                if (line.equals("ENRICHER ready")) {
                    ready.countDown();
                } else if (line.startsWith("ENRICHER enriched ")) {
                    enriched.incrementAndGet();
                }
                keep(line);
                LOG.log(stdout ? System.Logger.Level.INFO : System.Logger.Level.WARNING, "enricher: " + line);
            }
        } catch (IOException e) {
            keep("(output unreadable: " + e + ")");
        }
    }

    private void keep(String line) {
        synchronized (lastLines) {
            lastLines.addLast(line);
            if (lastLines.size() > KEPT_LINES) {
                lastLines.removeFirst();
            }
        }
    }

    private String lastLines() {
        synchronized (lastLines) {
            return String.join("\n", lastLines);
        }
    }

    /** Closes its standard input and waits for it to leave its group and exit; kills it when it does not. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException alreadyGone) {
            // it exited
        }
        boolean interrupted = false;
        try {
            if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "the Node.js enricher did not exit within " + EXIT_TIMEOUT
                        + "; killing it");
                kill();
            }
            for (Thread reader : readers) {
                reader.join(EXIT_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        kill();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
