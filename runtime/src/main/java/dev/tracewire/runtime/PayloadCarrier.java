package dev.tracewire.runtime;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Where peers that cannot use message headers put the trace context in a JSON payload, for every
 * messaging system. Two shapes are common:
 *
 * <ul>
 *   <li>a field beside the business fields ({@link #field(String)}):
 *       {@code {"order": "o-1", "trace_context": {"traceparent": "00-..."}}};</li>
 *   <li>an envelope ({@link #envelope(String, String)}) whose data field holds the payload:
 *       {@code {"data": {"order": "o-1"}, "trace_context": {"traceparent": "00-..."}}}.</li>
 * </ul>
 *
 * <p>The context field holds an object whose string members are the propagator's fields
 * ({@code traceparent}, {@code tracestate}, {@code baggage}, or those of B3 and Jaeger). Consumers
 * read it only when no header carries a valid context, and always take it out before the payload
 * is decoded (an envelope's data field is what is decoded), whatever it holds: a field that holds
 * no valid context starts a new trace, and never fails the decoding. Publishers also embed the
 * context when {@link #embedOnPublish(boolean)} says so. Give a carrier to
 * {@link TracewireOptions.Builder#payloadCarrier}; Kafka consumers and publishers also need their
 * deserializer and serializer wrapped ({@code KafkaPayloadCarrier}), since Kafka payloads go through
 * your own. Needs Jackson on the class path: without it, payloads pass unchanged.
 *
 * <p>The default, {@link TracewireOptions#defaults()}'s, is the field {@code _otel_trace_headers},
 * read but not embedded.
 */
public final class PayloadCarrier {

    static final String DEFAULT_CONTEXT_FIELD = "_otel_trace_headers";
    static final PayloadCarrier DEFAULT = field(DEFAULT_CONTEXT_FIELD);

    private final String contextField;
    /** The envelope's data field, or {@code null} when the context is a field beside the business fields. */
    private final String dataField;
    private final boolean embedOnPublish;
    private final byte[] quotedContextField;
    private final byte[] quotedDataField;

    private PayloadCarrier(String contextField, String dataField, boolean embedOnPublish) {
        this.contextField = contextField;
        this.dataField = dataField;
        this.embedOnPublish = embedOnPublish;
        this.quotedContextField = quoted(contextField);
        this.quotedDataField = dataField == null ? null : quoted(dataField);
    }

    /**
     * The context in field {@code contextField} of a JSON object payload, beside the business fields;
     * not embedded on publish.
     */
    public static PayloadCarrier field(String contextField) {
        return new PayloadCarrier(name(contextField, "contextField"), null, false);
    }

    /** The envelope {@code {"data": ..., "trace_context": {...}}}; not embedded on publish. */
    public static PayloadCarrier envelope() {
        return envelope("data", "trace_context");
    }

    /**
     * The envelope {@code {"<dataField>": ..., "<contextField>": {...}}}: a JSON object holding the
     * data field and, optionally, the context field, and nothing else; the data field's value is the
     * payload. Any other payload is read as with {@link #field(String)} of {@code contextField}.
     * Not embedded on publish.
     */
    public static PayloadCarrier envelope(String dataField, String contextField) {
        String data = name(dataField, "dataField");
        String context = name(contextField, "contextField");
        if (data.equals(context)) {
            throw new IllegalArgumentException("an envelope's data and context fields must differ, both were "
                    + data);
        }
        return new PayloadCarrier(context, data, false);
    }

    /**
     * This carrier, with publishers embedding the context (when {@code embed}): in a JSON object
     * payload's context field (replacing one it has), or by wrapping any JSON payload in the
     * envelope. Payloads that are not JSON (or not an object, for a field) go out unchanged.
     */
    public PayloadCarrier embedOnPublish(boolean embed) {
        return new PayloadCarrier(contextField, dataField, embed);
    }

    /** This carrier with another context field; the shape and embedding stay. */
    PayloadCarrier withContextField(String field) {
        return new PayloadCarrier(name(field, "payloadContextField"), dataField, embedOnPublish);
    }

    /** Whether publishers embed the context. */
    public boolean embedsOnPublish() {
        return embedOnPublish;
    }

    /** The field that carries the context. */
    public String contextField() {
        return contextField;
    }

    /** The envelope's data field; empty when the context is a field beside the business fields. */
    public Optional<String> dataField() {
        return Optional.ofNullable(dataField);
    }

    /**
     * Takes the context out of a payload: for a JSON object holding the context field, the string
     * members of that field (none when it holds anything but an object) and the payload without it;
     * for an envelope, also the payload out of its data field. Empty for every other payload, which
     * is to be decoded as it is; and when Jackson is not on the class path. Never throws.
     */
    public Optional<Extracted> extract(byte[] payload) {
        if (payload == null || !startsLikeObject(payload) || !Codecs.jsonAvailable()
                || !contains(payload, quotedContextField) && (dataField == null || !contains(payload, quotedDataField))) {
            return Optional.empty();
        }
        return PayloadJson.extract(this, payload);
    }

    /**
     * {@code payload} with the {@code context} fields embedded, in this carrier's shape: in the
     * context field of a JSON object (replacing one it has), or with any JSON value wrapped in the
     * envelope. Other payloads, and every payload when {@code context} is empty or Jackson is not on
     * the class path, come back unchanged. Never throws.
     */
    public byte[] embed(byte[] payload, Map<String, String> context) {
        if (payload == null || context.isEmpty() || !Codecs.jsonAvailable()) {
            return payload;
        }
        return PayloadJson.embed(this, payload, context);
    }

    byte[] quotedContextField() {
        return quotedContextField;
    }

    byte[] quotedDataField() {
        return quotedDataField;
    }

    @Override
    public String toString() {
        return (dataField == null ? "PayloadCarrier.field(" + contextField : "PayloadCarrier.envelope(" + dataField
                + ", " + contextField) + ")" + (embedOnPublish ? ".embedOnPublish(true)" : "");
    }

    /**
     * What {@link #extract(byte[])} took out of a payload.
     *
     * @param payload the payload to decode: without the context field, or an envelope's data
     * @param context the string members of the context field; empty when the payload had none (an
     *     envelope without it), an empty map when it had one that holds no strings
     */
    public record Extracted(byte[] payload, Optional<Map<String, String>> context) {
    }

    private static String name(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return name;
    }

    /** The name as a JSON string, in UTF-8: what a payload holding it contains. */
    private static byte[] quoted(String name) {
        StringBuilder quoted = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString().getBytes(StandardCharsets.UTF_8);
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
}
