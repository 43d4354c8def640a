package dev.tracewire.sample.ingest;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.model.JsonSerde;
import dev.tracewire.sample.model.Reading;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The ingest service: reads each sensor (here: is handed its readings) inside a span of its own,
 * the root of that reading's trace, and publishes the reading through the generated
 * {@link ReadingEvents}.
 */
public final class Ingest implements AutoCloseable {

    /** The tenant the plant's data belongs to, carried in every record's {@code tenant} header. */
    public static final String TENANT = "acme-foods";

    private final Producer<String, Reading> producer;
    private final ReadingEvents readings;
    private final Tracer tracer;

    private Ingest(Producer<String, Reading> producer, ReadingEvents readings, Tracer tracer) {
        this.producer = producer;
        this.readings = readings;
        this.tracer = tracer;
    }

    /** Connects to Kafka, traced with {@code openTelemetry} (the service's own SDK). */
    public static Ingest start(Brokers brokers, OpenTelemetry openTelemetry) {
        TracewireOptions options = TracewireOptions.builder().openTelemetry(openTelemetry).build();
        Producer<String, Reading> producer = new KafkaProducer<>(brokers.producerConfig(), new StringSerializer(),
                JsonSerde.serializer());
        return new Ingest(producer, new TracedReadingEvents(producer, options), openTelemetry.getTracer("ingest"));
    }

    /**
     * Publishes one reading of a sensor at {@code site} inside the span {@code read <sensor>}, and
     * returns once Kafka has it.
     */
    public RecordMetadata read(Reading reading, String site) {
        Span span = tracer.spanBuilder("read " + reading.sensorId()).startSpan();
        Scope scope = span.makeCurrent();
        try {
            return readings.measured(reading.sensorId(), reading, TENANT, site).join();
        } finally {
            scope.close();
            span.end();
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
