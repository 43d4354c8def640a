package dev.tracewire.sample.model;

/**
 * A reading beyond its limit, as the detector announces it.
 *
 * @param sensorId the sensor that measured it
 * @param assetId the machine it is mounted on; the Kafka key
 * @param metric what was measured
 * @param value the measured value
 * @param limit the limit it exceeded
 */
public record Anomaly(String sensorId, String assetId, String metric, double value, double limit) {
}
