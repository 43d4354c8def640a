package dev.tracewire.runtime.kafka.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes Kafka record headers for generated code and for context propagation: a write
 * replaces every header of that name (never a duplicate {@code traceparent}), a read takes the
 * last header of that name and tolerates missing headers and {@code null} values.
 */
public final class KafkaHeaders {

    private KafkaHeaders() {
    }

    /** Sets header {@code name} to {@code value} as UTF-8, replacing it; removes it for a {@code null} value. */
    public static void put(Headers headers, String name, String value) {
        put(headers, name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sets header {@code name} to {@code value}, replacing it; removes it for a {@code null} value. */
    public static void put(Headers headers, String name, byte[] value) {
        if (headers.lastHeader(name) != null) {
            headers.remove(name);
        }
        if (value != null) {
            headers.add(name, value);
        }
    }

    /** The last value of header {@code name} read as UTF-8, or {@code null} when there is none. */
    public static String lastString(Headers headers, String name) {
        byte[] value = lastBytes(headers, name);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    /** The last value of header {@code name}, or {@code null} when there is none. */
    public static byte[] lastBytes(Headers headers, String name) {
        Header header = headers == null ? null : headers.lastHeader(name);
        return header == null ? null : header.value();
    }

    /** The names of the headers, in order, duplicates included. */
    static Iterable<String> names(Headers headers) {
        List<String> names = new ArrayList<>();
        if (headers != null) {
            for (Header header : headers) {
                names.add(header.key());
            }
        }
        return names;
    }
}
