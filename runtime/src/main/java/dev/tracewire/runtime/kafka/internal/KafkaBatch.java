package dev.tracewire.runtime.kafka.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What generated batch methods take from the records of a poll. */
public final class KafkaBatch {

    private KafkaBatch() {
    }

    /**
     * The records' values, in order ({@code null} for a tombstone), as the element type of the batch
     * method's {@code List<T>} parameter: the consumer's value deserializer makes values of that type
     * for the method's topic, as it does for a method that takes one value.
     */
    @SuppressWarnings("unchecked")
    public static <T> List<T> values(List<? extends ConsumerRecord<?, ?>> records) {
        List<Object> values = new ArrayList<>(records.size());
        for (ConsumerRecord<?, ?> record : records) {
            values.add(record.value());
        }
        return (List<T>) Collections.unmodifiableList(values);
    }
}
