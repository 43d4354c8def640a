package dev.tracewire.sample.model;

/**
 * An anomaly with what maintenance needs to know, as the Node.js enricher publishes it to JetStream.
 *
 * @param alertId the enricher's id for it
 * @param assetId the machine
 * @param sensorId the sensor that measured the anomaly
 * @param line the production line the machine is on
 * @param part the spare part a repair of this machine needs
 * @param severity {@code high} or {@code critical}
 * @param value the measured value
 * @param limit the limit it exceeded
 */
public record Alert(String alertId, String assetId, String sensorId, String line, String part, String severity,
        double value, double limit) {
}
