package dev.tracewire.runtime.internal;

/**
 * The steps at which a tracing component (a propagator, a sampler, a span processor) can fail.
 * Such a failure never fails the message: the hop goes on untraced, and it is logged once per
 * step and client.
 */
enum TracingStep {
    START_SPAN("starting a span"),
    INJECT("injecting the trace context"),
    EXTRACT("extracting the trace context"),
    MAKE_CURRENT("making the span current"),
    RECORD("recording on a span"),
    END_SPAN("ending a span");

    private final String description;

    TracingStep(String description) {
        this.description = description;
    }

    String description() {
        return description;
    }
}
