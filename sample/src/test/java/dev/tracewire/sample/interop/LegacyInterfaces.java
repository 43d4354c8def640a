package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What {@link LegacyCorrelationTest} receives from the ingestion service and sends on. */
final class LegacyInterfaces {

    /** Where the ingestion service's records arrive. */
    static final String INGESTED = "interop.legacy.ingested";
    /** Where the enriched records go, to a service still on the legacy headers. */
    static final String ENRICHED = "interop.legacy.enriched";
    /** Where records with a trace_id that is not a UUID arrive. */
    static final String MALFORMED = "interop.legacy.malformed";
    static final String HTTP_STYLE = "interop.legacy.http-style";

    private LegacyInterfaces() {
    }

    @TracedConsumer
    interface IngestedIn {
        @Topic(INGESTED)
        void onReading(@Key String key, String reading);
    }

    @TracedConsumer
    interface MalformedIn {
        @Topic(MALFORMED)
        void onReading(@Key String key, String reading);
    }

    @TracedPublisher
    interface EnrichedOut {
        @Topic(ENRICHED)
        RecordMetadata send(@Key String key, String reading);
    }

    @TracedConsumer
    interface HttpStyleIn {
        @Subject(HTTP_STYLE)
        void onReading(String reading);
    }
}
