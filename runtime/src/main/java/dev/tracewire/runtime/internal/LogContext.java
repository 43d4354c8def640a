package dev.tracewire.runtime.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/**
 * A process span's ids in the SLF4J MDC ({@code trace_id}, {@code span_id}, {@code trace_flags})
 * while its handler runs, and what the thread's MDC held before, put back afterwards.
 */
final class LogContext {

    private final String previousTraceId;
    private final String previousSpanId;
    private final String previousTraceFlags;

    private LogContext(String previousTraceId, String previousSpanId, String previousTraceFlags) {
        this.previousTraceId = previousTraceId;
        this.previousSpanId = previousSpanId;
        this.previousTraceFlags = previousTraceFlags;
    }

    /** Puts the span's ids in the MDC; {@code null} when there is nothing to put or the MDC fails. */
    static LogContext enter(Instruments instruments, Span span) {
        SpanContext context = span.getSpanContext();
        if (!context.isValid()) {
            return null;
        }
        try {
            return new LogContext(Slf4jMdc.swap(Capture.MDC_TRACE_ID, context.getTraceId()),
                    Slf4jMdc.swap(Capture.MDC_SPAN_ID, context.getSpanId()),
                    Slf4jMdc.swap(Capture.MDC_TRACE_FLAGS, context.getTraceFlags().asHex()));
        } catch (RuntimeException | LinkageError e) {
            instruments.failed(TracingStep.MAKE_CURRENT, e);
            return null;
        }
    }

    /** Puts back what the MDC held before {@link #enter}. */
    void exit(Instruments instruments) {
        try {
            Slf4jMdc.restore(Capture.MDC_TRACE_ID, previousTraceId);
            Slf4jMdc.restore(Capture.MDC_SPAN_ID, previousSpanId);
            Slf4jMdc.restore(Capture.MDC_TRACE_FLAGS, previousTraceFlags);
        } catch (RuntimeException | LinkageError e) {
            instruments.failed(TracingStep.MAKE_CURRENT, e);
        }
    }
}
