package dev.tracewire.sample;

/** An order placed in the shop. */
public record Order(String id, String customer, long amountCents) {
}
