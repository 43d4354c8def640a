package dev.tracewire.sample.infra;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends everything the sample's libraries say into one log file, so that the console shows the
 * sample's own output only: java.util.logging (where tracewire's {@code System.Logger}, the Kafka
 * broker and clients through SLF4J, and jnats log) and whatever is printed to {@code System.out}
 * and {@code System.err}. With {@code verbose}, all of it is written to the console's error stream
 * too. {@link #close()} puts everything back as it was.
 */
public final class LogFile implements AutoCloseable {


    private final Path path;
    private final PrintStream stream;
    private final PrintStream originalOut;
    private final PrintStream originalErr;
    private final Logger root = Logger.getLogger("");
    private final List<Handler> originalHandlers;
    private final Level originalLevel;
    private final Handler handler;

    private LogFile(Path path, PrintStream stream) {
        this.path = path;
        this.stream = stream;
        this.originalOut = System.out;
        this.originalErr = System.err;
        this.originalHandlers = List.of(root.getHandlers());
        this.originalLevel = root.getLevel();
        this.handler = new StreamHandler(stream, new LineFormatter()) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }
        };
        handler.setLevel(Level.ALL);
    }

    /** Starts capturing into {@code path} (created or emptied), and also to {@code console} when verbose. */
    public static LogFile capture(Path path, boolean verbose, PrintStream console) {
        OutputStream file;
        try {
            Path folder = path.toAbsolutePath().getParent();
            if (folder != null) {
                Files.createDirectories(folder);
            }
            file = Files.newOutputStream(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the log file " + path, e);
        }
        OutputStream target = verbose ? new Tee(file, console) : file;
        LogFile log = new LogFile(path, new PrintStream(target, true, StandardCharsets.UTF_8));
        log.start();
        return log;
    }

    private void start() {
        System.setOut(stream);
        System.setErr(stream);
        for (Handler original : originalHandlers) {
            root.removeHandler(original);
        }
        root.addHandler(handler);
        root.setLevel(Level.INFO);
    }

    public Path path() {
        return path;
    }

    /** Stops capturing: the original streams, handlers and level are back; the file is closed. */
    @Override
    public void close() {
        root.removeHandler(handler);
        for (Handler original : originalHandlers) {
            root.addHandler(original);
        }
        root.setLevel(originalLevel);
        System.setOut(originalOut);
        System.setErr(originalErr);
        handler.flush();
        stream.close();
    }

    /** Writes to the file and to the console. */
    private static final class Tee extends OutputStream {
        private final OutputStream file;
        private final OutputStream console;

        Tee(OutputStream file, OutputStream console) {
            this.file = file;
            this.console = console;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            file.write(b);
            console.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            file.write(bytes, offset, length);
            console.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() throws IOException {
            file.flush();
            console.flush();
        }

        /** Closes the file; the console stays open. */
        @Override
        public synchronized void close() throws IOException {
            flush();
            file.close();
        }
    }

    /** {@code 14:03:07.123 INFO logger: message}, and the stack trace of what was thrown. */
    private static final class LineFormatter extends Formatter {
        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder().append(TIME.format(record.getInstant())).append(' ')
                    .append(record.getLevel().getName()).append(' ').append(record.getLoggerName()).append(": ")
                    .append(formatMessage(record)).append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
