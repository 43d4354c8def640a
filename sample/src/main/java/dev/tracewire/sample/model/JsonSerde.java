package dev.tracewire.sample.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON Kafka serializers for the sample's records, readable by the Node.js enricher. Any serializer
 * works with tracewire: it sends through the producer, and reads through the consumer, that you
 * configured.
 */
public final class JsonSerde {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonSerde() {
    }

    public static <T> Serializer<T> serializer() {
        return (topic, value) -> {
            try {
                return value == null ? null : JSON.writeValueAsBytes(value);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + value + " as JSON", e);
            }
        };
    }

    public static <T> Deserializer<T> deserializer(Class<T> type) {
        return (topic, data) -> {
            try {
                return data == null ? null : JSON.readValue(data, type);
            } catch (IOException e) {
                throw new SerializationException("not a JSON " + type.getSimpleName(), e);
            }
        };
    }
}
