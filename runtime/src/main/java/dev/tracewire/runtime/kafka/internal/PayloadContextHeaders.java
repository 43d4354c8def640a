package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.kafka.KafkaPayloadCarrier;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The record headers through which a value's payload context travels between tracewire's clients
 * and the serializers of {@link KafkaPayloadCarrier}: {@value KafkaPayloadCarrier#CONTEXT_HEADER},
 * and one header per context field behind it.
 */
final class PayloadContextHeaders {

    private static final String FIELD_PREFIX = KafkaPayloadCarrier.CONTEXT_HEADER + ".";

    /** Reads the context fields a deserializer handed over, by the propagator's names. */
    static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header header : headers) {
                if (header.key().startsWith(FIELD_PREFIX)) {
                    keys.add(header.key().substring(FIELD_PREFIX.length()));
                }
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            return headers == null ? null : KafkaHeaders.lastString(headers, FIELD_PREFIX + key);
        }
    };

    private PayloadContextHeaders() {
    }

    /**
     * The headers of {@code record} when its value had a context field that the deserializer took
     * out, else {@code null}.
     */
    static Headers of(ConsumerRecord<?, ?> record) {
        Headers headers = record.headers();
        return headers != null && headers.lastHeader(KafkaPayloadCarrier.CONTEXT_HEADER) != null ? headers : null;
    }

    /** Hands {@code fields} to the serializer, which embeds them in the value and removes these headers. */
    static void handOver(Headers headers, Map<String, String> fields) {
        fields.forEach((name, value) -> KafkaHeaders.put(headers, FIELD_PREFIX + name, value));
        KafkaHeaders.put(headers, KafkaPayloadCarrier.CONTEXT_HEADER, new byte[0]);
    }

    /** Whether {@code headers} still hold what {@link #handOver} put there: no serializer took it. */
    static boolean stillHandedOver(Headers headers) {
        return headers.lastHeader(KafkaPayloadCarrier.CONTEXT_HEADER) != null;
    }

    /** Whether a header is one of these: a dead letter does not carry them on. */
    static boolean isOne(String name) {
        return name.equals(KafkaPayloadCarrier.CONTEXT_HEADER) || name.startsWith(FIELD_PREFIX);
    }
}
