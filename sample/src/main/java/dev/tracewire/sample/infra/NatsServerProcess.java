package dev.tracewire.sample.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code nats-server} child process on {@code 127.0.0.1} and a free port, with JetStream
 * storing into a temporary folder that {@link #close()} deletes.
 *
 * <p>The server is started as
 * {@code nats-server -a 127.0.0.1 -p -1 -js -sd DIR --ports_file_dir DIR}: {@code -p -1} picks a
 * free port, and the server announces it in the JSON "ports file" it writes into {@code DIR}
 * once it accepts clients, which is what {@link #start()} waits for.
 *
 * <p>For fault tests the server can be {@linkplain #stop() stopped} and {@linkplain #restart()
 * started again} on the same port with the same JetStream store, so that clients reconnect and
 * file-stored streams and durable consumers survive.
 *
 * <p>The program is looked up in {@value #PATH_VARIABLE}, then on {@code PATH}, then in
 * {@code /usr/sbin} and {@code /usr/local/sbin} (Debian's package installs it in {@code /usr/sbin}).
 */
public final class NatsServerProcess implements AutoCloseable {

    /** Environment variable naming the {@code nats-server} program to use. */
    public static final String PATH_VARIABLE = "NATS_SERVER_PATH";

    /** What to tell someone who has no {@code nats-server}. */
    public static final String INSTALL_HINT =
            "install it with `sudo apt-get install -y nats-server` (Debian/Ubuntu; root needs no sudo), "
                    + "or download a release from https://github.com/nats-io/nats-server/releases, "
                    + "or point " + PATH_VARIABLE + " at the program";

    private static final Program PROGRAM = new Program("nats-server", PATH_VARIABLE, INSTALL_HINT);
    private static final List<Path> SBIN_FOLDERS = List.of(Paths.get("/usr/sbin"), Paths.get("/usr/local/sbin"));
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** {@code {"nats":["nats://127.0.0.1:4222"], ...}}: the first client URL. */
    private static final Pattern CLIENT_URL =
            Pattern.compile("\"nats\"\\s*:\\s*\\[\\s*\"nats://([^\"/]+):(\\d+)\"");

    private final Path executable;
    private final Path directory;
    private final Path logFile;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The running server; replaced by {@link #restart()}. */
    private volatile Process process;

    private NatsServerProcess(Path executable, Process process, Path directory, Path logFile, int port) {
        this.executable = executable;
        this.process = process;
        this.directory = directory;
        this.logFile = logFile;
        this.port = port;
    }

    /**
     * Starts a server with the program found by {@link #findExecutable()}.
     *
     * @throws IllegalStateException if there is no {@code nats-server} (the message says how to install it)
     */
    public static NatsServerProcess start() {
        return start(requireExecutable(System.getenv(), SBIN_FOLDERS));
    }

    /** Starts a server with the given program. */
    public static NatsServerProcess start(Path executable) {
        Path directory;
        try {
            directory = TempDirs.create("tracewire-nats-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for nats-server", e);
        }
        Path logFile = directory.resolve("nats-server.log");
        Process process = null;
        try {
            process = launch(executable, directory, logFile, -1);
            int port = awaitPort(process, directory, logFile);
            return new NatsServerProcess(executable, process, directory, logFile, port);
        } catch (IOException | RuntimeException e) {
            IllegalStateException failure = e instanceof IllegalStateException ise
                    ? ise : new IllegalStateException("cannot start " + executable, e);
            if (process != null) {
                stop(process);
            }
            TempDirs.deleteQuietly(directory, failure);
            throw failure;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException failure = new IllegalStateException("interrupted while starting nats-server", e);
            stop(process);
            TempDirs.deleteQuietly(directory, failure);
            throw failure;
        }
    }

    /**
     * Starts {@code nats-server} in {@code directory} (JetStream storing into its {@code store}
     * folder) on {@code port}, or on a free port for -1, appending its output to {@code logFile}.
     */
    private static Process launch(Path executable, Path directory, Path logFile, int port) throws IOException {
        List<String> command = List.of(executable.toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(port),
                "-js", "-sd", directory.resolve("store").toString(),
                "--ports_file_dir", directory.toString());
        return new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
    }

    /**
     * Stops the server (SIGTERM: it shuts down cleanly, flushing JetStream's files; then SIGKILL
     * if it has not exited in time) and keeps its folder, so that {@link #restart()} brings back
     * its file-stored streams. Clients see the connection drop and keep trying to reconnect.
     */
    public synchronized void stop() {
        ensureOpen();
        stop(process);
    }

    /**
     * Starts the server again on the same port with the same JetStream store, stopping it first
     * if it is running, and waits until it accepts clients.
     *
     * @throws IllegalStateException if it cannot be started (its output says why)
     */
    public synchronized void restart() {
        ensureOpen();
        stop(process);
        try {
            deletePortsFiles(directory);
            Process restarted = launch(executable, directory, logFile, port);
            process = restarted;
            int restartedPort = awaitPort(restarted, directory, logFile);
            if (restartedPort != port) {
                throw new IllegalStateException("nats-server came back on port " + restartedPort + ", not " + port);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart " + executable, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting nats-server", e);
        }
    }

    /** A server that exits cleanly deletes its ports file; one that was killed leaves it behind. */
    private static void deletePortsFiles(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.ports")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("nats-server at " + url() + " is closed");
        }
    }

    /**
     * Finds the {@code nats-server} program: {@value #PATH_VARIABLE} (which must then name an
     * executable file), then each {@code PATH} entry, then {@code /usr/sbin} and {@code /usr/local/sbin}.
     *
     * @throws IllegalStateException if {@value #PATH_VARIABLE} is set but names no executable file
     */
    public static Optional<Path> findExecutable() {
        return findExecutable(System.getenv(), SBIN_FOLDERS);
    }

    static Path requireExecutable(Map<String, String> environment, List<Path> fallbackFolders) {
        return PROGRAM.require(environment, fallbackFolders, "");
    }

    static Optional<Path> findExecutable(Map<String, String> environment, List<Path> fallbackFolders) {
        return PROGRAM.find(environment, fallbackFolders);
    }

    private static int awaitPort(Process process, Path directory, Path logFile)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            OptionalInt port = readPortsFile(directory);
            if (port.isPresent()) {
                return port.getAsInt();
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server exited with status " + process.exitValue()
                        + " before accepting clients; its output:\n" + tail(logFile));
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("nats-server wrote no ports file into " + directory + " within "
                + STARTUP_TIMEOUT + "; its output:\n" + tail(logFile));
    }

    /** The client port, or empty while the ports file is missing or incomplete. */
    private static OptionalInt readPortsFile(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.ports")) {
            for (Path file : files) {
                String json;
                try {
                    json = Files.readString(file, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    continue;
                }
                Integer port = parseClientPort(json);
                if (port != null) {
                    return OptionalInt.of(port);
                }
            }
        }
        return OptionalInt.empty();
    }

    /** The client port in a ports file's JSON, or null if the text holds none (yet). */
    static Integer parseClientPort(String json) {
        Matcher matcher = CLIENT_URL.matcher(json);
        if (!matcher.find()) {
            return null;
        }
        return Integer.valueOf(matcher.group(2));
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    /** {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The server's process id (a new one after {@link #restart()}). */
    public long pid() {
        return process.pid();
    }

    /** The server's process, e.g. to check that it is alive. */
    public ProcessHandle processHandle() {
        return process.toHandle();
    }

    /** The temporary folder (ports file, log, JetStream store); gone after {@link #close()}. */
    public Path directory() {
        return directory;
    }

    /** The server's combined stdout and stderr so far. */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Stops the server (SIGTERM, then SIGKILL if it has not exited in time) and deletes its folder.
     * Safe to call more than once, and from several threads.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        synchronized (this) {
            stop(process);
        }
        IllegalStateException failure = TempDirs.deleteQuietly(directory, null);
        if (failure != null) {
            throw failure;
        }
    }

    private static void stop(Process process) {
        if (process == null) {
            return;
        }
        boolean interrupted = false;
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            interrupted = true;
            process.destroyForcibly();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NatsServerProcess[" + url() + ", pid " + process.pid() + (closed.get() ? ", closed]" : "]");
    }
}
