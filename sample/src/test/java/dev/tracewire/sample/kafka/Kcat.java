package dev.tracewire.sample.kafka;

import dev.tracewire.sample.infra.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The {@code kcat} program (a Kafka client written in C on librdkafka) as a child process: a
 * peer that is not Java and not tracewire, for interop tests.
 *
 * <p>The program is looked up in {@value #PATH_VARIABLE}, then on {@code PATH}, then in
 * {@code /usr/bin} and {@code /usr/local/bin}. When it is missing, {@link #run} fails the test
 * with a message saying how to install it: the interop tests never skip.
 *
 * <p>Every run reads no configuration file ({@code -F /dev/null}, so a developer's
 * {@code ~/.config/kcat.conf} or {@code $KCAT_CONFIG} cannot change what is tested), gets its
 * stdin from a file, writes stdout and stderr into files, and is killed when it has not exited
 * within the timeout, which then fails the test with what kcat wrote to stderr.
 */
final class Kcat {

    /** Environment variable naming the {@code kcat} program to use. */
    static final String PATH_VARIABLE = "KCAT_PATH";

    /** What to tell someone who has no {@code kcat}. */
    static final String INSTALL_HINT = "install it with `sudo apt-get install -y kcat` (Debian/Ubuntu; root needs "
            + "no sudo; the build installs it first when it can), or point " + PATH_VARIABLE + " at the program";

    /** How long one run may take before it is killed and the test fails. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final Program PROGRAM = new Program("kcat", PATH_VARIABLE, INSTALL_HINT);
    private static final List<Path> FALLBACK_FOLDERS = List.of(Paths.get("/usr/bin"), Paths.get("/usr/local/bin"));
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    /** What a run that exited printed. */
    record Result(int exitCode, String stdout, String stderr) {
    }

    private Kcat() {
    }

    /**
     * The {@code kcat} program.
     *
     * @throws AssertionError if there is none (the message says how to install it)
     */
    static Path require() {
        return require(System.getenv(), FALLBACK_FOLDERS);
    }

    static Path require(Map<String, String> environment, List<Path> fallbackFolders) {
        try {
            return PROGRAM.require(environment, fallbackFolders,
                    "which the Kafka interop tests run as a non-Java client");
        } catch (IllegalStateException missing) {
            throw new AssertionError(missing.getMessage(), missing);
        }
    }

    static Optional<Path> find(Map<String, String> environment, List<Path> fallbackFolders) {
        return PROGRAM.find(environment, fallbackFolders);
    }

    /**
     * Runs {@code kcat -F /dev/null <arguments>} with {@code stdin} as its input and waits for it.
     *
     * @throws AssertionError if kcat is missing, does not exit within {@link #TIMEOUT} (it is then
     *                        killed) or exits with a status other than 0; the message holds its stderr
     */
    static Result run(String stdin, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(require().toString());
        command.add("-F");
        command.add("/dev/null");
        command.addAll(arguments);
        Path input = Files.createTempFile("tracewire-kcat-", ".in");
        Path output = Files.createTempFile("tracewire-kcat-", ".out");
        Path errors = Files.createTempFile("tracewire-kcat-", ".err");
        Process process = null;
        try {
            Files.writeString(input, stdin, StandardCharsets.UTF_8);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(input.toFile())
                    .redirectOutput(output.toFile())
                    .redirectError(errors.toFile());
            builder.environment().remove("KCAT_CONFIG");
            process = builder.start();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new AssertionError("kcat did not exit within " + TIMEOUT + " and was killed: " + command
                        + "\nits stdout:\n" + read(output) + "\nits stderr:\n" + read(errors));
            }
            Result result = new Result(process.exitValue(), read(output), read(errors));
            if (result.exitCode() != 0) {
                throw new AssertionError("kcat exited with status " + result.exitCode() + ": " + command
                        + "\nits stdout:\n" + result.stdout() + "\nits stderr:\n" + result.stderr());
            }
            return result;
        } finally {
            if (process != null && process.isAlive()) {
                kill(process);
            }
            Files.deleteIfExists(input);
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    private static void kill(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("kcat (pid " + process.pid() + ") survived SIGKILL for " + KILL_TIMEOUT);
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8); // never fails on bad bytes
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kcat's output " + file, e);
        }
    }
}
