package dev.tracewire.sample.report;

/**
 * One point of the propagation-health counter {@code tracewire.propagation.messages}, as a service's
 * metric reader read it: how many messages it received on a destination whose trace context came
 * from {@code source} ({@code header}, {@code payload}, {@code legacy}, {@code absent} or {@code invalid}).
 */
public record PropagationCount(String service, String destination, String source, long messages) {
}
