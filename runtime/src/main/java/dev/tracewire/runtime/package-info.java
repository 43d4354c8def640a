/**
 * What users of tracewire touch: {@link dev.tracewire.runtime.TracewireOptions} (with each system's
 * {@link dev.tracewire.runtime.SystemOptions}), {@link dev.tracewire.runtime.ErrorPolicy},
 * {@link dev.tracewire.runtime.Subscription} and {@link dev.tracewire.runtime.Codec}s. Packages named
 * {@code internal} are for generated code only.
 */
package dev.tracewire.runtime;
