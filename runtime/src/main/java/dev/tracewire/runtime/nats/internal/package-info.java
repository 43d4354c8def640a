/**
 * The NATS side of the span lifecycle: message headers (and JSON payloads of header-less peers) as
 * propagation carriers, the attributes of messages and JetStream acknowledgements, subscriptions.
 * It feeds the shared lifecycle of {@code dev.tracewire.runtime.internal} and adds nothing to it.
 *
 * <p><b>Internal:</b> for generated code only; not a public API, it changes without notice.
 */
package dev.tracewire.runtime.nats.internal;
