package dev.tracewire.sample.model;

/**
 * The inventory's reply to a {@link PartRequest}.
 *
 * @param part the part number
 * @param reserved whether it is set aside for the repair
 * @param bin where to pick it up when reserved
 * @param reason why not, when not
 */
public record Reservation(String part, boolean reserved, String bin, String reason) {
}
