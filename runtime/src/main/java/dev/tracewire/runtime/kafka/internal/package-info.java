/**
 * The Kafka side of the span lifecycle: record headers as propagation carriers, the attributes of
 * records and acknowledgements, the poll loop. It feeds the shared lifecycle of
 * {@code dev.tracewire.runtime.internal} and adds nothing to it.
 *
 * <p><b>Internal:</b> for generated code only; not a public API, it changes without notice.
 */
package dev.tracewire.runtime.kafka.internal;
