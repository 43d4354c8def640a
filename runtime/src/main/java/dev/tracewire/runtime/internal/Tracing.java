package dev.tracewire.runtime.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Span helpers and facts about this library. */
public final class Tracing {

    /** The instrumentation scope name of every tracewire span. */
    public static final String INSTRUMENTATION_NAME = "dev.tracewire";

    /** This library's version, as built. */
    public static final String VERSION = readVersion();

    private Tracing() {
    }

    /**
     * Marks {@code span} failed by {@code failure} as the semantic conventions ask: the exception
     * as an event, status ERROR with the exception's message, and {@code error.type} set to the
     * exception's class name.
     */
    public static void fail(Span span, Throwable failure) {
        if (!span.isRecording()) {
            return;
        }
        span.recordException(failure);
        String message = failure.getMessage();
        span.setStatus(StatusCode.ERROR, message == null ? "" : message);
        span.setAttribute(MessagingAttributes.ERROR_TYPE, failure.getClass().getName());
    }

    /**
     * The string form of a message key for {@code messaging.kafka.message.key}: a {@code byte[]}
     * is read as UTF-8, anything else through {@code toString()}.
     */
    public static String keyString(Object key) {
        if (key instanceof String string) {
            return string;
        }
        if (key instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return String.valueOf(key);
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = Tracing.class.getResourceAsStream("/dev/tracewire/runtime/tracewire.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version", "unknown");
    }
}
