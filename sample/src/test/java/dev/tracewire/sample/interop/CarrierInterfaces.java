package dev.tracewire.sample.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.io.IOException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** What {@link PayloadCarrierInteropTest} sends and receives with the context in JSON payloads. */
final class CarrierInterfaces {

    static final String FLAT_TOPIC = "interop.carrier.flat";
    static final String ENVELOPE_TOPIC = "interop.carrier.envelope";
    static final String OUT_TOPIC = "interop.carrier.out";
    static final String IN_SUBJECT = "interop.carrier.in";
    static final String OUT_SUBJECT = "interop.carrier.out";

    /** Decoded strictly: a field it does not have (a context field left in) fails the decoding. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private CarrierInterfaces() {
    }

    record Reading(String sensor, double celsius) {
    }

    @TracedConsumer
    interface FlatIn {
        @Topic(FLAT_TOPIC)
        void onReading(@Key String key, Reading reading);
    }

    @TracedConsumer
    interface EnvelopeIn {
        @Topic(ENVELOPE_TOPIC)
        void onReading(@Key String key, Reading reading);
    }

    @TracedPublisher
    interface KafkaOut {
        @Topic(OUT_TOPIC)
        RecordMetadata send(@Key String key, Reading reading);
    }

    @TracedConsumer
    interface NatsIn {
        @Subject(IN_SUBJECT)
        void onReading(Reading reading);
    }

    @TracedPublisher
    interface NatsOut {
        @Subject(OUT_SUBJECT)
        void publish(Reading reading);
    }

    /** The user's own Kafka deserializer of readings, strict like {@code Codecs}' JSON. */
    static final class ReadingDeserializer implements Deserializer<Reading> {
        @Override
        public Reading deserialize(String topic, byte[] data) {
            try {
                return data == null ? null : JSON.readValue(data, Reading.class);
            } catch (IOException e) {
                throw new SerializationException("not a reading", e);
            }
        }
    }

    /** The user's own Kafka serializer of readings. */
    static final class ReadingSerializer implements Serializer<Reading> {
        @Override
        public byte[] serialize(String topic, Reading reading) {
            try {
                return reading == null ? null : JSON.writeValueAsBytes(reading);
            } catch (IOException e) {
                throw new SerializationException("cannot write " + reading, e);
            }
        }
    }
}
