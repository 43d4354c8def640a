/**
 * NATS settings and exceptions users see: {@link dev.tracewire.runtime.nats.NatsOptions},
 * {@link dev.tracewire.runtime.nats.NatsRequestException}. What generated NATS clients call lives
 * in {@code .internal}.
 */
package dev.tracewire.runtime.nats;
