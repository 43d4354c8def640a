package dev.tracewire.runtime.internal;

import io.opentelemetry.api.trace.SpanContext;

/**
 * A message whose handler failed: what it threw, and the process span it failed in (its trace id
 * names the message in logs; invalid when untraced).
 *
 * @param cause what the handler (or the decoding before it) threw
 * @param span the failed process span's context
 */
public record ProcessFailure(Throwable cause, SpanContext span) {

    /** The trace id for log lines, or {@code "none"}. */
    public String traceId() {
        return span.isValid() ? span.getTraceId() : "none";
    }
}
