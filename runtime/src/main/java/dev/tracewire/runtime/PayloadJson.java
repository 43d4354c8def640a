package dev.tracewire.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON work of a {@link PayloadCarrier}, with Jackson's streaming parser: the top-level members
 * of a payload are located by byte offset and cut out or spliced in, so that every other byte of the
 * payload (numbers, strings, nesting, as the peer wrote them) reaches the decoder unchanged. Loaded
 * only when Jackson is on the class path.
 */
final class PayloadJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private PayloadJson() {
    }

    /** See {@link PayloadCarrier#extract(byte[])}. */
    static Optional<PayloadCarrier.Extracted> extract(PayloadCarrier carrier, byte[] payload) {
        Parsed parsed = parse(payload, carrier.contextField());
        if (parsed == null) {
            return Optional.empty();
        }
        Optional<Map<String, String>> context = Optional.ofNullable(parsed.context);
        String data = carrier.dataField().orElse(null);
        if (data != null && parsed.isEnvelope(data, carrier.contextField())) {
            Member member = parsed.last(data);
            byte[] unwrapped = new byte[member.valueEnd - member.valueStart];
            System.arraycopy(payload, member.valueStart, unwrapped, 0, unwrapped.length);
            return Optional.of(new PayloadCarrier.Extracted(unwrapped, context));
        }
        if (context.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream(payload.length);
        rest.write('{');
        writeMembersExcept(rest, payload, parsed, carrier.contextField());
        rest.write('}');
        return Optional.of(new PayloadCarrier.Extracted(rest.toByteArray(), context));
    }

    /** See {@link PayloadCarrier#embed(byte[], Map)}. */
    static byte[] embed(PayloadCarrier carrier, byte[] payload, Map<String, String> context) {
        byte[] contextObject = object(context);
        if (contextObject == null) {
            return payload;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + contextObject.length + 64);
        out.write('{');
        if (carrier.dataField().isPresent()) {
            if (!isOneValue(payload)) {
                return payload;
            }
            out.writeBytes(carrier.quotedDataField());
            out.write(':');
            out.writeBytes(payload);
            out.write(',');
        } else {
            Parsed parsed = parse(payload, carrier.contextField());
            if (parsed == null) {
                return payload;
            }
            if (writeMembersExcept(out, payload, parsed, carrier.contextField())) {
                out.write(',');
            }
        }
        out.writeBytes(carrier.quotedContextField());
        out.write(':');
        out.writeBytes(contextObject);
        out.write('}');
        return out.toByteArray();
    }

    /**
     * Writes the members of the parsed object other than {@code except}, each as its bytes were, joined
     * by commas; whether it wrote any.
     */
    private static boolean writeMembersExcept(ByteArrayOutputStream out, byte[] payload, Parsed parsed,
            String except) {
        boolean wrote = false;
        for (Member member : parsed.members) {
            if (member.name.equals(except)) {
                continue;
            }
            if (wrote) {
                out.write(',');
            }
            out.write(payload, member.start, member.valueEnd - member.start);
            wrote = true;
        }
        return wrote;
    }

    /**
     * The top-level members of a payload that is exactly one JSON object, with the string members
     * of (the last) {@code contextField} when it has one; {@code null} for any other payload.
     */
    private static Parsed parse(byte[] payload, String contextField) {
        try (JsonParser parser = FACTORY.createParser(payload)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<Member> members = new ArrayList<>();
            Map<String, String> context = null;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                int start = offset(parser);
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                int valueStart = offset(parser);
                if (name.equals(contextField)) {
                    context = strings(parser, value);
                } else {
                    parser.skipChildren();
                }
                members.add(new Member(name, start, valueStart));
            }
            if (token != JsonToken.END_OBJECT) {
                return null;
            }
            int close = offset(parser);
            if (parser.nextToken() != null) {
                return null;
            }
            for (int i = 0; i < members.size(); i++) {
                boolean last = i == members.size() - 1;
                members.get(i).valueEnd = valueEnd(payload, last ? close : members.get(i + 1).start, !last);
            }
            return new Parsed(members, context);
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** The string members of an object value; none for a value of another kind, which is skipped. */
    private static Map<String, String> strings(JsonParser parser, JsonToken value) throws IOException {
        Map<String, String> strings = new LinkedHashMap<>();
        if (value != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return strings;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() == JsonToken.VALUE_STRING) {
                strings.put(name, parser.getText());
            } else {
                parser.skipChildren();
            }
        }
        return strings;
    }

    /**
     * Where the value before {@code next} (the next member's name, or the closing brace) ends: back
     * over white space and, between members, the comma and the white space before it.
     */
    private static int valueEnd(byte[] payload, int next, boolean comma) {
        int i = skipSpaceBackwards(payload, next - 1);
        if (comma) {
            i = skipSpaceBackwards(payload, i - 1);
        }
        return i + 1;
    }

    private static int skipSpaceBackwards(byte[] payload, int from) {
        int i = from;
        while (i >= 0 && (payload[i] == ' ' || payload[i] == '\t' || payload[i] == '\n' || payload[i] == '\r')) {
            i--;
        }
        return i;
    }

    private static boolean isOneValue(byte[] payload) {
        try (JsonParser parser = FACTORY.createParser(payload)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException | RuntimeException notJson) {
            return false;
        }
    }

    /** The context fields as a JSON object of strings; {@code null} when Jackson fails. */
    private static byte[] object(Map<String, String> context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            generator.writeStartObject();
            for (Map.Entry<String, String> field : context.entrySet()) {
                generator.writeStringField(field.getKey(), field.getValue());
            }
            generator.writeEndObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return out.toByteArray();
    }

    private static int offset(JsonParser parser) {
        return (int) parser.currentTokenLocation().getByteOffset();
    }

    /** A top-level member: where its name starts, and where its value starts and ends. */
    private static final class Member {
        final String name;
        final int start;
        final int valueStart;
        int valueEnd;

        Member(String name, int start, int valueStart) {
            this.name = name;
            this.start = start;
            this.valueStart = valueStart;
        }
    }

    /** The members of an object payload, and the string members of its context field ({@code null}: none). */
    private record Parsed(List<Member> members, Map<String, String> context) {

        /** Whether the object holds {@code data} and nothing but {@code data} and the context field. */
        boolean isEnvelope(String data, String contextField) {
            boolean hasData = false;
            for (Member member : members) {
                if (member.name.equals(data)) {
                    hasData = true;
                } else if (!member.name.equals(contextField)) {
                    return false;
                }
            }
            return hasData;
        }

        Member last(String name) {
            Member found = null;
            for (Member member : members) {
                if (member.name.equals(name)) {
                    found = member;
                }
            }
            return found;
        }
    }
}
