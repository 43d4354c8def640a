package dev.tracewire.runtime.internal;

/**
 * What one generated method does with the trace context, as its {@code propagation} attribute
 * says; the shared lifecycles ({@link SendOperation}, {@link ProcessOperation}) carry it out. The
 * constants are those of {@code dev.tracewire.annotations.Propagation}.
 */
public enum Propagation {
    /** A span per message, and its context in the message (or, on receipt, read from it). */
    PROPAGATE,
    /**
     * No span: a send carries the caller's context as it is; a received message's context is made
     * current while its handler runs.
     */
    HEADERS_ONLY,
    /**
     * Spans, but no context crosses the hop: a send writes no propagation headers or payload
     * field; a received message's context is not read, so its span starts a new trace.
     */
    NONE
}
