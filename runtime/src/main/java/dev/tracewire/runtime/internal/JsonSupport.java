package dev.tracewire.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trace context carried in a JSON payload, for peers that cannot send headers. Everything here
 * needs Jackson, and is loaded only when Jackson is on the class path.
 */
public final class JsonSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonSupport() {
    }

    /** A JSON object payload with the context fields added under {@code field}; other payloads unchanged. */
    public static byte[] embed(byte[] payload, String field, Map<String, String> context) {
        try {
            JsonNode tree = MAPPER.readTree(payload);
            if (!(tree instanceof ObjectNode object)) {
                return payload;
            }
            ObjectNode carrier = object.putObject(field);
            context.forEach(carrier::put);
            return MAPPER.writeValueAsBytes(object);
        } catch (IOException e) {
            return payload;
        }
    }

    /**
     * Takes the field {@code field} out of a JSON object payload, whatever it holds: the context
     * fields it carries (its string members when it is an object; none when it is a string, a
     * number, {@code null} or anything else) and the payload without it. {@code null} when the
     * payload is not a JSON object holding that field, which a byte search for {@code quotedField}
     * ({@link #quoted(String)}, computed once) tells without parsing for most payloads.
     */
    public static Embedded extract(byte[] payload, String field, byte[] quotedField) {
        if (!startsLikeObject(payload) || !contains(payload, quotedField)) {
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(payload);
            if (!(tree instanceof ObjectNode object) || !object.has(field)) {
                return null;
            }
            JsonNode carrier = object.remove(field);
            Map<String, String> context = new LinkedHashMap<>();
            if (carrier instanceof ObjectNode fields) {
                for (Map.Entry<String, JsonNode> entry : fields.properties()) {
                    if (entry.getValue().isTextual()) {
                        context.put(entry.getKey(), entry.getValue().asText());
                    }
                }
            }
            return new Embedded(context, MAPPER.writeValueAsBytes(object));
        } catch (IOException e) {
            return null;
        }
    }

    /** The field's name in quotes, as UTF-8: what {@link #extract} searches a payload for. */
    public static byte[] quoted(String field) {
        return ('"' + field + '"').getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsLikeObject(byte[] payload) {
        for (byte b : payload) {
            if (b == '{') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return false;
    }

    private static boolean contains(byte[] payload, byte[] needle) {
        outer:
        for (int i = 0; i <= payload.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (payload[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Context taken out of a payload, and what is left of the payload. */
    public record Embedded(Map<String, String> context, byte[] payload) {
    }
}
