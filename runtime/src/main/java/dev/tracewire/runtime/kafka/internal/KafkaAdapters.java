package dev.tracewire.runtime.kafka.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_PARTITION_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_KEY;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_TOMBSTONE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_OFFSET;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;

import dev.tracewire.runtime.internal.PartitionIds;
import dev.tracewire.runtime.internal.ProcessAdapter;
import dev.tracewire.runtime.internal.SendAdapter;
import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What Kafka tells the shared span lifecycle: record headers as carriers, and the attributes of records. */
final class KafkaAdapters {

    static final String SYSTEM = "kafka";

    private KafkaAdapters() {
    }

    /** Sending a record: its key and tombstone at start, the partition and offset of its acknowledgement. */
    static final class Send implements SendAdapter<ProducerRecord<?, ?>, RecordMetadata> {

        private final boolean captureKey;

        Send(boolean captureKey) {
            this.captureKey = captureKey;
        }

        @Override
        public void set(ProducerRecord<?, ?> record, String key, String value) {
            if (record != null) {
                KafkaHeaders.put(record.headers(), key, value);
            }
        }

        @Override
        public void addStartAttributes(SpanBuilder span, ProducerRecord<?, ?> record) {
            keyAndTombstone(span, record.key(), record.value(), captureKey);
        }

        @Override
        public String header(ProducerRecord<?, ?> record, String name) {
            return KafkaHeaders.lastString(record.headers(), name);
        }

        @Override
        public void addAckAttributes(Span span, RecordMetadata metadata) {
            span.setAttribute(MESSAGING_DESTINATION_PARTITION_ID, PartitionIds.of(metadata.partition()));
            if (metadata.hasOffset()) {
                span.setAttribute(MESSAGING_KAFKA_OFFSET, metadata.offset());
            }
        }
    }

    /** Processing a record: its partition, offset, key, tombstone and (on request) body size. */
    static final class Process implements ProcessAdapter<ConsumerRecord<?, ?>> {

        private final boolean captureKey;
        private final boolean captureBodySize;

        Process(boolean captureKey, boolean captureBodySize) {
            this.captureKey = captureKey;
            this.captureBodySize = captureBodySize;
        }

        @Override
        public Iterable<String> keys(ConsumerRecord<?, ?> record) {
            return KafkaHeaders.names(record == null ? null : record.headers());
        }

        @Override
        public String get(ConsumerRecord<?, ?> record, String key) {
            return record == null ? null : KafkaHeaders.lastString(record.headers(), key);
        }

        @Override
        public void addStartAttributes(SpanBuilder span, ConsumerRecord<?, ?> record) {
            span.setAttribute(MESSAGING_DESTINATION_PARTITION_ID, PartitionIds.of(record.partition()))
                    .setAttribute(MESSAGING_KAFKA_OFFSET, record.offset());
            keyAndTombstone(span, record.key(), record.value(), captureKey);
            if (captureBodySize && record.serializedValueSize() >= 0) {
                span.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, (long) record.serializedValueSize());
            }
        }

        /** A batch's link to the record: its partition and offset. */
        @Override
        public Attributes linkAttributes(ConsumerRecord<?, ?> record) {
            return Attributes.of(MESSAGING_DESTINATION_PARTITION_ID, PartitionIds.of(record.partition()),
                    MESSAGING_KAFKA_OFFSET, record.offset());
        }
    }

    private static void keyAndTombstone(SpanBuilder span, Object key, Object value, boolean captureKey) {
        if (key != null && captureKey) {
            span.setAttribute(MESSAGING_KAFKA_MESSAGE_KEY, Tracing.keyString(key));
        }
        if (value == null) {
            span.setAttribute(MESSAGING_KAFKA_MESSAGE_TOMBSTONE, true);
        }
    }
}
