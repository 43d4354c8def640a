/**
 * What generated code and tracewire's own Kafka and NATS code share: the one span lifecycle of a
 * send ({@link dev.tracewire.runtime.internal.SendOperation}) and of a processed message
 * ({@link dev.tracewire.runtime.internal.ProcessOperation}), what context a received message
 * carries ({@link dev.tracewire.runtime.internal.ConsumerPropagation}), the one step that decides what a
 * failed message becomes ({@link dev.tracewire.runtime.internal.FailureStep}), attribute keys and
 * the binding to OpenTelemetry.
 *
 * <p><b>Internal:</b> for generated code and the runtime only; not a public API, it changes without
 * notice between versions, as OpenTelemetry's own {@code .internal} packages do.
 */
package dev.tracewire.runtime.internal;
