package dev.tracewire.sample.pipeline;

import dev.tracewire.sample.model.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The readings the ingest service publishes in one run: the plant's sensors in turn, with a few
 * spikes beyond their limits (the same ones every run: the values come from a fixed seed), and one
 * reading that is made to fail downstream.
 */
public final class Readings {

    /** A reading to publish, and the site its sensor is at (recorded on the send span only). */
    public record Planned(Reading reading, String site) {
    }

    private record Sensor(String id, String assetId, String metric, String site, double typical, double spread,
            double spike) {
    }

    private static final List<Sensor> SENSORS = List.of(
            new Sensor("pump-1.vibration", "pump-1", "vibration", "plant-north", 2.8, 0.6, 9.4),
            new Sensor("pump-2.vibration", "pump-2", "vibration", "plant-north", 3.1, 0.7, 10.2),
            new Sensor("pump-3.vibration", "pump-3", "vibration", "plant-south", 2.5, 0.5, 8.3),
            new Sensor("compressor-1.vibration", "compressor-1", "vibration", "plant-south", 4.0, 0.8, 11.6),
            new Sensor("oven-1.temperature", "oven-1", "temperature", "plant-north", 61.0, 4.0, 97.0),
            new Sensor("pump-1.temperature", "pump-1", "temperature", "plant-north", 48.0, 3.0, 99.0));

    /**
     * The injected failure: the vibration of the old hydraulic press, whose seal kit is no longer
     * made, so the orchestrator cannot reserve it, retries, and dead-letters the alert.
     */
    public static final String FAILING_SENSOR = "press-9.vibration";

    private static final long SEED = 14;
    private static final double SPIKE_CHANCE = 0.07;

    private Readings() {
    }

    /** {@code count} readings, one second apart in sensor time; the failing one in the middle. */
    public static List<Planned> plan(int count, long startMillis) {
        Random random = new Random(SEED);
        List<Planned> planned = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long takenAt = startMillis + i * 1_000L;
            if (i == count / 2) {
                planned.add(new Planned(new Reading(FAILING_SENSOR, "press-9", "vibration", 12.7, takenAt),
                        "plant-south"));
                continue;
            }
            Sensor sensor = SENSORS.get(i % SENSORS.size());
            double value = random.nextDouble() < SPIKE_CHANCE
                    ? sensor.spike() * (0.9 + 0.3 * random.nextDouble())
                    : sensor.typical() + sensor.spread() * random.nextGaussian();
            planned.add(new Planned(new Reading(sensor.id(), sensor.assetId(), sensor.metric(),
                    Math.round(value * 10) / 10.0, takenAt), sensor.site()));
        }
        return planned;
    }
}
