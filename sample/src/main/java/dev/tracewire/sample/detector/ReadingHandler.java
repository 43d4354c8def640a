package dev.tracewire.sample.detector;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.sample.model.Reading;

/** The detector's view of sensor readings. */
@TracedConsumer(group = "detector")
public interface ReadingHandler {

    @Topic("sensor.readings")
    void onReading(@Key String sensorId, Reading reading, @Header("tenant") @SpanAttribute("plant.tenant") String tenant);
}
