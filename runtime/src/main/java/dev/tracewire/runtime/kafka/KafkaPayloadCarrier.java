package dev.tracewire.runtime.kafka;

import dev.tracewire.runtime.PayloadCarrier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Trace context in the JSON values of Kafka records, for peers that cannot use record headers
 * ({@link PayloadCarrier}). Kafka values go through your own serializers, so the context field is
 * handled around them: wrap the value deserializer of a consumer and the value serializer of a
 * producer with the carrier you give the options.
 *
 * <pre>{@code
 * PayloadCarrier carrier = PayloadCarrier.envelope().embedOnPublish(true);
 * TracewireOptions options = TracewireOptions.builder().payloadCarrier(carrier).build();
 * Consumer<String, Order> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
 *         KafkaPayloadCarrier.deserializer(carrier, new OrderDeserializer()));
 * Producer<String, Order> producer = new KafkaProducer<>(config, new StringSerializer(),
 *         KafkaPayloadCarrier.serializer(carrier, new OrderSerializer()));
 * }</pre>
 *
 * <p>The deserializer takes the context field out of each value before your deserializer sees it
 * (for an envelope, your deserializer gets the data field's JSON), and hands the context to
 * tracewire's consumer in the record's headers {@value #CONTEXT_HEADER} (present when the value had
 * the field) and {@value #CONTEXT_HEADER}{@code .<field>} (each string member of it), which the
 * consumer reads when no other header carries a valid context. The serializer does the reverse with
 * what tracewire's publisher handed it in those headers, and removes them: they never reach the
 * broker. A value that is not JSON, or carries no such field, passes as it is.
 */
public final class KafkaPayloadCarrier {

    /**
     * The header through which the context of a value's context field is handed over; its presence
     * says the value had the field. Each context field travels in a header named after it, behind
     * this name and a dot.
     */
    public static final String CONTEXT_HEADER = "tracewire.payload-context";

    private static final String FIELD_PREFIX = CONTEXT_HEADER + ".";
    private static final byte[] EMPTY = new byte[0];

    private KafkaPayloadCarrier() {
    }

    /**
     * {@code deserializer}, with the context field of {@code carrier} taken out of each value first
     * and handed to tracewire's consumer in the record's headers.
     */
    public static <T> Deserializer<T> deserializer(PayloadCarrier carrier, Deserializer<T> deserializer) {
        return new ContextDeserializer<>(Objects.requireNonNull(carrier, "carrier"),
                Objects.requireNonNull(deserializer, "deserializer"));
    }

    /**
     * {@code serializer}, with the context tracewire's publisher hands over in the record's headers
     * embedded in each value it serializes, in {@code carrier}'s shape.
     */
    public static <T> Serializer<T> serializer(PayloadCarrier carrier, Serializer<T> serializer) {
        return new ContextSerializer<>(Objects.requireNonNull(carrier, "carrier"),
                Objects.requireNonNull(serializer, "serializer"));
    }

    /** Removes every handed-over header; returns the context fields they carried, in order. */
    private static Map<String, String> takeHandedOver(Headers headers) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (Header header : headers) {
            String name = header.key();
            if (name.equals(CONTEXT_HEADER) || name.startsWith(FIELD_PREFIX)) {
                names.add(name);
                if (name.startsWith(FIELD_PREFIX) && header.value() != null) {
                    fields.put(name.substring(FIELD_PREFIX.length()), new String(header.value(), StandardCharsets.UTF_8));
                }
            }
        }
        names.forEach(headers::remove);
        return fields;
    }

    private static final class ContextDeserializer<T> implements Deserializer<T> {

        private final PayloadCarrier carrier;
        private final Deserializer<T> delegate;

        ContextDeserializer(PayloadCarrier carrier, Deserializer<T> delegate) {
            this.carrier = carrier;
            this.delegate = delegate;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(configs, isKey);
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            Optional<PayloadCarrier.Extracted> extracted = carrier.extract(data);
            return delegate.deserialize(topic, extracted.isPresent() ? extracted.get().payload() : data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            if (headers == null) {
                return deserialize(topic, data);
            }
            // A record that was sent on with headers handed over to an earlier consumer carries them
            // still; only this value's context counts.
            takeHandedOver(headers);
            Optional<PayloadCarrier.Extracted> extracted = carrier.extract(data);
            if (extracted.isEmpty()) {
                return delegate.deserialize(topic, headers, data);
            }
            extracted.get().context().ifPresent(fields -> {
                fields.forEach((name, value) -> headers.add(FIELD_PREFIX + name, value.getBytes(StandardCharsets.UTF_8)));
                headers.add(CONTEXT_HEADER, EMPTY);
            });
            return delegate.deserialize(topic, headers, extracted.get().payload());
        }

        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
            if (data == null) {
                return deserialize(topic, headers, (byte[]) null);
            }
            byte[] bytes = new byte[data.remaining()];
            data.duplicate().get(bytes);
            return deserialize(topic, headers, bytes);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static final class ContextSerializer<T> implements Serializer<T> {

        private final PayloadCarrier carrier;
        private final Serializer<T> delegate;

        ContextSerializer(PayloadCarrier carrier, Serializer<T> delegate) {
            this.carrier = carrier;
            this.delegate = delegate;
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            delegate.configure(configs, isKey);
        }

        @Override
        public byte[] serialize(String topic, T data) {
            return delegate.serialize(topic, data);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
            byte[] value = delegate.serialize(topic, headers, data);
            if (headers == null || headers.lastHeader(CONTEXT_HEADER) == null) {
                return value;
            }
            Map<String, String> fields = takeHandedOver(headers);
            return value == null ? null : carrier.embed(value, fields);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
