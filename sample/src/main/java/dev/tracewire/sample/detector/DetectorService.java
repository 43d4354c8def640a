package dev.tracewire.sample.detector;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.model.Anomaly;
import dev.tracewire.sample.model.JsonSerde;
import dev.tracewire.sample.model.Reading;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The detector service, wired by hand: the clients, the generated classes around them, the handler. */
public final class DetectorService implements AutoCloseable {

    private final Producer<String, Anomaly> producer;
    private final Subscription subscription;
    private final Detector detector;

    private DetectorService(Producer<String, Anomaly> producer, Subscription subscription, Detector detector) {
        this.producer = producer;
        this.subscription = subscription;
        this.detector = detector;
    }

    /** Starts consuming readings, traced with {@code openTelemetry} (the service's own SDK). */
    public static DetectorService start(Brokers brokers, OpenTelemetry openTelemetry) {
        // README: wiring by hand
        TracewireOptions options = TracewireOptions.builder().openTelemetry(openTelemetry).build();
        Producer<String, Anomaly> producer = new KafkaProducer<>(brokers.producerConfig(), new StringSerializer(),
                JsonSerde.serializer());
        Detector detector = new Detector(new TracedAnomalyEvents(producer, options));
        Subscription readings = new TracedReadingHandler(detector, options).start(new KafkaConsumer<>(
                brokers.consumerConfig("detector"), new StringDeserializer(), JsonSerde.deserializer(Reading.class)));
        // README: end
        return new DetectorService(producer, readings, detector);
    }

    public Detector detector() {
        return detector;
    }

    /** Finishes the reading in flight, commits, closes the consumer, then the producer. */
    @Override
    public void close() {
        try {
            subscription.close();
        } finally {
            producer.close();
        }
    }
}
