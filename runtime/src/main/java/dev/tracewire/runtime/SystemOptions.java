package dev.tracewire.runtime;

/**
 * The settings of one messaging system, such as {@code KafkaOptions} or {@code NatsOptions}, given
 * to {@link TracewireOptions.Builder#with(SystemOptions)}. Settings that every system shares live in
 * {@link TracewireOptions} itself.
 */
public interface SystemOptions {
}
