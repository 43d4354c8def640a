package dev.tracewire.sample.model;

/**
 * A repair the orchestrator schedules, with its part reserved.
 *
 * @param workOrderId its id
 * @param assetId the machine to repair; the Kafka key
 * @param part the reserved part
 * @param bin where the part waits
 * @param priority {@code P1} for a critical alert, else {@code P2}
 * @param alertId the alert it answers
 */
public record WorkOrder(String workOrderId, String assetId, String part, String bin, String priority,
        String alertId) {
}
