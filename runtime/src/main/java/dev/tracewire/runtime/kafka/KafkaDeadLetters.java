package dev.tracewire.runtime.kafka;

import java.time.Duration;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where a Kafka consumer publishes the records its error policy dead-letters
 * ({@code ErrorPolicy.deadLetter()}, {@code retry(...).thenDeadLetter()}), given to
 * {@link KafkaOptions.Builder#deadLetters}. Immutable.
 *
 * <pre>{@code
 * KafkaOptions.builder()
 *         .deadLetters(KafkaDeadLetters.to(bytesProducer).serializers(new StringSerializer(), orderSerializer))
 *         .build();
 * }</pre>
 *
 * <p>A dead letter goes to {@code <topic>.DLT} unless {@link #topic} says otherwise, through the
 * producer given here, of bytes. Its key and value are the original record's bytes: as they were
 * read for a record that could not be deserialized, as they are for a consumer of {@code byte[]},
 * and otherwise serialized again with {@link #serializers} (a consumer hands tracewire deserialized
 * records; configure the serializers that match its deserializers).
 */
public final class KafkaDeadLetters {

    private final Producer<byte[], byte[]> producer;
    private final UnaryOperator<String> topic;
    private final Serializer<?> keySerializer;
    private final Serializer<?> valueSerializer;
    private final Duration timeout;

    private KafkaDeadLetters(Producer<byte[], byte[]> producer, UnaryOperator<String> topic,
            Serializer<?> keySerializer, Serializer<?> valueSerializer, Duration timeout) {
        this.producer = producer;
        this.topic = topic;
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.timeout = timeout;
    }

    /** Dead letters through {@code producer}, to {@code <topic>.DLT}, waiting up to 30 s for each acknowledgement. */
    public static KafkaDeadLetters to(Producer<byte[], byte[]> producer) {
        return new KafkaDeadLetters(Objects.requireNonNull(producer, "producer"), original -> original + ".DLT",
                null, null, Duration.ofSeconds(30));
    }

    /** The dead-letter topic of each original topic (default {@code <topic>.DLT}). */
    public KafkaDeadLetters topic(UnaryOperator<String> naming) {
        return new KafkaDeadLetters(producer, Objects.requireNonNull(naming, "naming"), keySerializer, valueSerializer,
                timeout);
    }

    /**
     * The serializers that turn a deserialized key and value back into bytes, for records whose
     * key or value is not already {@code byte[]}; the counterparts of the consumer's deserializers.
     */
    public KafkaDeadLetters serializers(Serializer<?> keys, Serializer<?> values) {
        return new KafkaDeadLetters(producer, topic, Objects.requireNonNull(keys, "keys"),
                Objects.requireNonNull(values, "values"), timeout);
    }

    /**
     * How long the consumer waits for a dead letter's acknowledgement (default 30 s); a dead letter
     * not acknowledged in time leaves the original record uncommitted, and it is tried again.
     */
    public KafkaDeadLetters timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return new KafkaDeadLetters(producer, topic, keySerializer, valueSerializer, timeout);
    }

    public Producer<byte[], byte[]> producer() {
        return producer;
    }

    /** The dead-letter topic for records of {@code original}. */
    public String topicFor(String original) {
        return topic.apply(original);
    }

    /** The key serializer, or {@code null} when none was given. */
    public Serializer<?> keySerializer() {
        return keySerializer;
    }

    /** The value serializer, or {@code null} when none was given. */
    public Serializer<?> valueSerializer() {
        return valueSerializer;
    }

    public Duration timeout() {
        return timeout;
    }
}
