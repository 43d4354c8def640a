package dev.tracewire.sample.ingest;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.model.Reading;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What the ingest service tells the plant about its sensors. */
@TracedPublisher
public interface ReadingEvents {

    /** A sensor's reading, keyed by sensor; completes when Kafka has it. The site is recorded on the span only. */
    @Topic("sensor.readings")
    CompletableFuture<RecordMetadata> measured(@Key String sensorId, Reading reading, @Header("tenant") String tenant,
            @SpanAttribute("plant.site") String site);
}
