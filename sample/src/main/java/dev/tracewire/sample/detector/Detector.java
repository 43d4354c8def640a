package dev.tracewire.sample.detector;

import dev.tracewire.sample.model.Anomaly;
import dev.tracewire.sample.model.Reading;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Flags readings beyond their metric's limit and announces them. A plain implementation of
 * {@link ReadingHandler}: the generated consumer runs it inside the reading's trace, so the anomaly
 * it publishes continues that trace.
 */
public final class Detector implements ReadingHandler {

    /** Vibration severity zone D of ISO 10816-3 for medium machines (mm/s RMS), and a bearing's temperature (°C). */
    static final Map<String, Double> LIMITS = Map.of("vibration", 7.1, "temperature", 85.0);

    private final AnomalyEvents anomalies;
    private final AtomicInteger readings = new AtomicInteger();
    private final AtomicInteger detected = new AtomicInteger();

    public Detector(AnomalyEvents anomalies) {
        this.anomalies = anomalies;
    }

    @Override
    public void onReading(String sensorId, Reading reading, String tenant) {
        if (isAnomalous(reading)) {
            anomalies.detected(reading.assetId(), new Anomaly(sensorId, reading.assetId(), reading.metric(),
                    reading.value(), LIMITS.get(reading.metric())), tenant);
            detected.incrementAndGet();
        }
        readings.incrementAndGet();
    }

    /** Whether a reading is beyond its metric's limit. */
    public static boolean isAnomalous(Reading reading) {
        Double limit = LIMITS.get(reading.metric());
        return limit != null && reading.value() > limit;
    }

    /** How many readings were handled so far. */
    public int readings() {
        return readings.get();
    }

    /** How many anomalies were announced so far. */
    public int detected() {
        return detected.get();
    }
}
