package dev.tracewire.sample.model;

/**
 * One measurement of a sensor on a plant's asset, as the ingest service publishes it.
 *
 * @param sensorId the sensor, for example {@code pump-3.vibration}; the Kafka key
 * @param assetId the machine it is mounted on, for example {@code pump-3}
 * @param metric what it measures: {@code vibration} (mm/s RMS) or {@code temperature} (°C)
 * @param value the measured value
 * @param takenAt when, in epoch milliseconds
 */
public record Reading(String sensorId, String assetId, String metric, double value, long takenAt) {
}
