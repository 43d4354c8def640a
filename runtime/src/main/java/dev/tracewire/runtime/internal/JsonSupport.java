package dev.tracewire.runtime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tracewire.runtime.Codec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything that needs Jackson, in one class that is loaded only when Jackson is on the class
 * path: JSON payloads, and trace context embedded in a JSON payload for peers that cannot send
 * NATS headers. For the runtime only; not a public API.
 */
public final class JsonSupport {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private JsonSupport() {
    }

    public static <T> Codec<T> codec(Class<T> type) {
        return new Codec<>() {
            @Override
            public byte[] encode(T value) {
                try {
                    return MAPPER.writeValueAsBytes(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public T decode(byte[] data) {
                try {
                    return MAPPER.readValue(data, type);
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON " + type.getSimpleName(), e);
                }
            }
        };
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
     * The context fields a JSON object payload carries under {@code field}, and the payload without
     * them; {@code null} when the payload is not such an object (not JSON, no field, a field that
     * is not an object of strings).
     */
    public static Embedded extract(byte[] payload, String field) {
        if (payload.length == 0 || payload[0] != '{') {
            return null;
        }
        try {
            JsonNode tree = MAPPER.readTree(payload);
            if (!(tree instanceof ObjectNode object) || !(object.get(field) instanceof ObjectNode carrier)) {
                return null;
            }
            Map<String, String> context = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : carrier.properties()) {
                if (entry.getValue().isTextual()) {
                    context.put(entry.getKey(), entry.getValue().asText());
                }
            }
            object.remove(field);
            return new Embedded(context, MAPPER.writeValueAsBytes(object));
        } catch (IOException e) {
            return null;
        }
    }

    /** Context taken out of a payload, and what is left of the payload. */
    public record Embedded(Map<String, String> context, byte[] payload) {
    }
}
