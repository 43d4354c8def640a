package dev.tracewire.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** JSON through Jackson; loaded only when Jackson is on the class path. */
final class JsonCodec<T> implements Codec<T> {

    private static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

    private final Class<T> type;

    JsonCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public byte[] encode(T value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public T decode(byte[] data) {
        try {
            return MAPPER.readValue(data, type);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON " + type.getSimpleName(), e);
        }
    }
}
