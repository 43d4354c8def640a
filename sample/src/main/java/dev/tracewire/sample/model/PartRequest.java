package dev.tracewire.sample.model;

/**
 * The orchestrator's request to the inventory: reserve a spare part for a repair.
 *
 * @param part the part number
 * @param assetId the machine it is for
 * @param quantity how many
 */
public record PartRequest(String part, String assetId, int quantity) {
}
