package dev.tracewire.sample.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished span of any service of the pipeline, Java or Node.js, in one shape: what the waterfall
 * and the summary need.
 *
 * @param service the {@code service.name} of the SDK that made it
 * @param runtime {@code java} or {@code nodejs}
 * @param parentSpanId empty for a root span
 * @param kind {@code INTERNAL}, {@code PRODUCER}, {@code CONSUMER}, {@code CLIENT} or {@code SERVER}
 * @param error whether its status is ERROR
 * @param attributes its attributes, each value as text
 * @param links the spans it links to (a batch's process span links to each message's send span)
 */
public record RecordedSpan(String service, String runtime, String traceId, String spanId, String parentSpanId,
        String name, String kind, long startNanos, long endNanos, boolean error, Map<String, String> attributes,
        List<Link> links) {

    /** A link to another span, maybe of another trace. */
    public record Link(String traceId, String spanId) {
    }

    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    public RecordedSpan {
        attributes = Map.copyOf(attributes);
        links = List.copyOf(links);
    }

    /** A span of a Java service's SDK. */
    public static RecordedSpan of(SpanData span) {
        Map<String, String> attributes = new LinkedHashMap<>();
        span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
        List<Link> links = new ArrayList<>();
        for (LinkData link : span.getLinks()) {
            links.add(new Link(link.getSpanContext().getTraceId(), link.getSpanContext().getSpanId()));
        }
        String service = span.getResource().getAttribute(SERVICE_NAME);
        return new RecordedSpan(service == null ? "" : service, "java", span.getTraceId(), span.getSpanId(),
                span.getParentSpanContext().isValid() ? span.getParentSpanId() : "", span.getName(),
                span.getKind().name(), span.getStartEpochNanos(), span.getEndEpochNanos(),
                span.getStatus().getStatusCode() == StatusCode.ERROR, attributes, links);
    }

    /**
     * A span the Node.js enricher printed: OTLP's JSON field names, one span per line, with the
     * resource's {@code service.name} as {@code service}.
     */
    public static RecordedSpan ofOtlpJson(JsonNode span) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (JsonNode attribute : span.path("attributes")) {
            JsonNode value = attribute.path("value");
            attributes.put(attribute.path("key").asText(), value.isEmpty() ? "" : value.elements().next().asText());
        }
        List<Link> links = new ArrayList<>();
        for (JsonNode link : span.path("links")) {
            links.add(new Link(link.path("traceId").asText(), link.path("spanId").asText()));
        }
        return new RecordedSpan(span.path("service").asText(), "nodejs", span.path("traceId").asText(),
                span.path("spanId").asText(), span.path("parentSpanId").asText(""), span.path("name").asText(),
                span.path("kind").asText().replace("SPAN_KIND_", ""),
                Long.parseLong(span.path("startTimeUnixNano").asText("0")),
                Long.parseLong(span.path("endTimeUnixNano").asText("0")),
                span.path("status").path("code").asText().equals("STATUS_CODE_ERROR"), attributes, links);
    }

    public boolean isRoot() {
        return parentSpanId.isEmpty();
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** The attribute's value as text, or null. */
    public String attribute(String key) {
        return attributes.get(key);
    }

    /** {@code messaging.destination.name}, or null for a span that is not a message's. */
    public String destination() {
        return attributes.get("messaging.destination.name");
    }

    /** Whether it is the process span of a batch: a root by design, with a link to each message. */
    public boolean isBatch() {
        return attributes.containsKey("messaging.batch.message_count");
    }

    @Override
    public String toString() {
        return name + " " + kind + " [" + service + "] " + traceId + "/" + spanId
                + (isRoot() ? " root" : " parent " + parentSpanId) + (error ? " ERROR" : "");
    }
}
