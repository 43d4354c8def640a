package dev.tracewire.sample.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A span as a peer exported it in OTLP's JSON form: OpenTelemetry's Java agent with
 * {@code otel.traces.exporter=logging-otlp} (one {@code ResourceSpans} object, or a whole export
 * request, per line), or the Node peer (the same fields and the scope's name, one span per line). Kinds are OTLP's
 * names without their prefix: {@code PRODUCER}, {@code CONSUMER}, {@code INTERNAL}...
 *
 * @param parentSpanId empty for a root span
 * @param scope the instrumentation scope that made the span: tracewire's, the agent's, a library's
 * @param status {@code UNSET}, {@code OK} or {@code ERROR}
 * @param attributes the attributes, each value as text
 */
record ExportedSpan(String traceId, String spanId, String parentSpanId, String name, String kind, String scope,
        String status, Map<String, String> attributes) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KINDS = {"UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"};
    private static final String[] STATUSES = {"UNSET", "OK", "ERROR"};

    /** The spans of the lines of a peer's output that hold OTLP JSON; other lines are skipped. */
    static List<ExportedSpan> parseOtlpLines(List<String> lines) {
        List<ExportedSpan> spans = new ArrayList<>();
        for (String line : lines) {
            int start = line.indexOf('{');
            if (start < 0 || !line.contains("\"scopeSpans\"")) {
                continue;
            }
            JsonNode root = read(line.substring(start));
            JsonNode resources = root.has("resourceSpans") ? root.get("resourceSpans") : JSON.createArrayNode().add(root);
            for (JsonNode resource : resources) {
                for (JsonNode scopeSpans : resource.path("scopeSpans")) {
                    String scope = scopeSpans.path("scope").path("name").asText();
                    for (JsonNode span : scopeSpans.path("spans")) {
                        spans.add(of(span, scope));
                    }
                }
            }
        }
        return spans;
    }

    /**
     * The spans of the lines that start with {@code prefix} followed by one span in OTLP's JSON
     * form with a {@code scope} field (the Node peer's form); other lines are skipped.
     */
    static List<ExportedSpan> parseSpanLines(List<String> lines, String prefix) {
        List<ExportedSpan> spans = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                JsonNode span = read(line.substring(prefix.length()));
                spans.add(of(span, span.path("scope").asText()));
            }
        }
        return spans;
    }

    /** One span in OTLP's JSON form, made by {@code scope}. */
    static ExportedSpan of(JsonNode span, String scope) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (JsonNode attribute : span.path("attributes")) {
            JsonNode value = attribute.path("value");
            attributes.put(attribute.path("key").asText(),
                    value.isEmpty() ? "" : value.elements().next().asText());
        }
        JsonNode kind = span.path("kind");
        String kindName = kind.isInt() ? KINDS[kind.asInt()] : kind.asText().replace("SPAN_KIND_", "");
        JsonNode code = span.path("status").path("code");
        String status = code.isInt() ? STATUSES[code.asInt()]
                : code.isMissingNode() ? "UNSET" : code.asText().replace("STATUS_CODE_", "");
        return new ExportedSpan(span.path("traceId").asText(), span.path("spanId").asText(),
                span.path("parentSpanId").asText(""), span.path("name").asText(), kindName, scope, status, attributes);
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    boolean isRoot() {
        return parentSpanId.isEmpty() || parentSpanId.chars().allMatch(c -> c == '0');
    }

    boolean isChildOf(ExportedSpan parent) {
        return traceId.equals(parent.traceId) && parentSpanId.equals(parent.spanId);
    }

    String attribute(String key) {
        return attributes.get(key);
    }

    @Override
    public String toString() {
        return name + " " + kind + " [" + scope + "] " + status + " " + traceId + "/" + spanId + " parent "
                + parentSpanId;
    }
}
