package dev.tracewire.processor.kafka;

/** The one shape of a Kafka consumer method: it returns nothing, since nobody waits for a reply. */
enum KafkaConsumerShape {
    VOID
}
