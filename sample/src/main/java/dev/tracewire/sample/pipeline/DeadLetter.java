package dev.tracewire.sample.pipeline;

import java.util.Map;

/**
 * A dead letter as it arrived on NATS.
 *
 * @param subject where it was published ({@code dlq.<original subject>})
 * @param headers its headers: the original's (its {@code traceparent} replaced by the dead letter's
 *                publish span), and the failure's {@code nats_dlt-*}
 */
public record DeadLetter(String subject, Map<String, String> headers) {

    public DeadLetter {
        headers = Map.copyOf(headers);
    }

    /** The trace id of its {@code traceparent} header, or empty. */
    public String traceId() {
        String traceparent = headers.getOrDefault("traceparent", "");
        String[] parts = traceparent.split("-");
        return parts.length == 4 ? parts[1] : "";
    }

    /** The span id of its {@code traceparent} header (the span that published it), or empty. */
    public String parentSpanId() {
        String[] parts = headers.getOrDefault("traceparent", "").split("-");
        return parts.length == 4 ? parts[2] : "";
    }
}
