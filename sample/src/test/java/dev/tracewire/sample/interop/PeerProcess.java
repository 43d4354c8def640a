package dev.tracewire.sample.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer program the interop tests run as a child process (a JVM with OpenTelemetry's agent, or
 * Node): its output line by line, and its exit. Standard output and error are read apart, so that
 * lines written to both at once never run into each other. Closing kills
 * it and its descendants if it still runs, so a failed test leaves no process behind.
 */
final class PeerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<Thread> readers;

    private PeerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.readers = List.of(reader(process.getInputStream(), "out"), reader(process.getErrorStream(), "err"));
    }

    static PeerProcess start(String name, Path directory, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            return new PeerProcess(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    private Thread reader(InputStream stream, String which) {
        Thread reader = new Thread(() -> read(stream), "peer-" + which + "-" + name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void read(InputStream stream) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process is gone; what it printed is kept
        }
    }

    /** Waits for the process to exit with status 0 and returns everything it printed. */
    List<String> awaitSuccess(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new AssertionError(name + " did not finish in " + timeout + "; it printed:\n" + String.join("\n", lines()));
        }
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(name + " exited with " + process.exitValue() + "; it printed:\n"
                    + String.join("\n", lines()));
        }
        return lines();
    }

    /** What the process printed so far. */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Whether a line that starts with {@code prefix} has been printed. */
    boolean printed(String prefix) {
        return lines().stream().anyMatch(line -> line.startsWith(prefix));
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
