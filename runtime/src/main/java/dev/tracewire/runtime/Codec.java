package dev.tracewire.runtime;

/**
 * Turns a NATS payload type into bytes and back. Built in: {@code byte[]} (as it is),
 * {@code String} (UTF-8) and, when Jackson's {@code jackson-databind} is on the class path, JSON for
 * any other type. Register your own with {@code NatsOptions.builder().codec(type, codec)}.
 *
 * <p>A codec that throws while decoding fails only that message: its process span records the
 * exception and the consumer's error handling takes the message.
 *
 * @param <T> the payload type
 */
public interface Codec<T> {

    byte[] encode(T value);

    T decode(byte[] data);
}
