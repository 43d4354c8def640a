package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * What one client records beyond the messaging attributes, decided once from its options: the
 * headers named for capture, as {@code messaging.header.<name>} attributes; and whether handlers
 * see their span in the SLF4J MDC.
 */
public final class Capture {

    static final String MDC_TRACE_ID = "trace_id";
    static final String MDC_SPAN_ID = "span_id";
    static final String MDC_TRACE_FLAGS = "trace_flags";
    private static final boolean SLF4J = isPresent("org.slf4j.MDC");

    private final List<String> headers;
    private final List<AttributeKey<String>> keys;
    final boolean logCorrelation;

    private Capture(List<String> headers, boolean logCorrelation) {
        this.headers = headers;
        this.keys = headers.stream()
                .map(name -> AttributeKey.stringKey("messaging.header." + name.toLowerCase(Locale.ROOT)))
                .toList();
        this.logCorrelation = logCorrelation && SLF4J;
    }

    public static Capture of(TracewireOptions options) {
        return new Capture(options.capturedHeaders(), options.logCorrelation());
    }

    /** Adds each captured header the message has to its span, read through {@code header}. */
    <M> void addHeaders(SpanBuilder span, M message, BiFunction<M, String, String> header) {
        for (int i = 0; i < headers.size(); i++) {
            String value = header.apply(message, headers.get(i));
            if (value != null) {
                span.setAttribute(keys.get(i), value.length() <= TracewireOptions.MAX_HEADER_VALUE ? value
                        : value.substring(0, TracewireOptions.MAX_HEADER_VALUE));
            }
        }
    }

    boolean capturesHeaders() {
        return !headers.isEmpty();
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Capture.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
