package dev.tracewire.sample.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the runtime logs during a test, at a level and above. The runtime logs through
 * {@link System.Logger}, which is java.util.logging in the sample's tests; a handler on the
 * runtime's root logger sees every class's lines. {@link #close()} restores the logger.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog(String loggerName, Level level) {
        logger = Logger.getLogger(loggerName);
        previousLevel = logger.getLevel();
        handler.setLevel(level);
        logger.setLevel(level);
        logger.addHandler(handler);
    }

    /** Captures what the runtime ({@code dev.tracewire.runtime} and below) logs at {@code level} and above. */
    public static CapturedLog runtime(Level level) {
        return new CapturedLog("dev.tracewire.runtime", level);
    }

    /** The records logged at {@code level} whose message contains {@code text}. */
    public List<LogRecord> at(Level level, String text) {
        return records.stream()
                .filter(record -> record.getLevel().equals(level) && record.getMessage().contains(text))
                .toList();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }
}
