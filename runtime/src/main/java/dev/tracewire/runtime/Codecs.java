package dev.tracewire.runtime;

import java.nio.charset.StandardCharsets;

/** The built-in codecs, and the standard choice of a codec for a payload type. */
public final class Codecs {

    private static final Codec<byte[]> BYTES = new Codec<>() {
        @Override
        public byte[] encode(byte[] value) {
            return value == null ? new byte[0] : value;
        }

        @Override
        public byte[] decode(byte[] data) {
            return data;
        }
    };

    private static final Codec<String> STRING = new Codec<>() {
        @Override
        public byte[] encode(String value) {
            return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String decode(byte[] data) {
            return new String(data, StandardCharsets.UTF_8);
        }
    };

    private static final boolean JACKSON = isPresent("com.fasterxml.jackson.databind.ObjectMapper");

    private Codecs() {
    }

    /** {@code byte[]} as it is; a {@code null} payload is sent empty. */
    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    /** {@code String} as UTF-8; a {@code null} payload is sent empty. */
    public static Codec<String> string() {
        return STRING;
    }

    /** Whether Jackson is on the class path, so that JSON payloads and payload-embedded context work. */
    public static boolean jsonAvailable() {
        return JACKSON;
    }

    /**
     * JSON through Jackson's {@code ObjectMapper} (with the modules it finds on the class path).
     *
     * @throws IllegalStateException when Jackson is not on the class path
     */
    public static <T> Codec<T> json(Class<T> type) {
        if (!JACKSON) {
            throw new IllegalStateException("JSON payloads need com.fasterxml.jackson.core:jackson-databind on the"
                    + " class path");
        }
        return new JsonCodec<>(type);
    }

    /**
     * The codec tracewire takes for {@code type} when none is registered: {@link #bytes()},
     * {@link #string()}, or {@link #json(Class)} when Jackson is on the class path.
     *
     * @throws IllegalArgumentException when there is none, saying how to provide one
     */
    @SuppressWarnings("unchecked") // each branch returns a codec of exactly that type
    public static <T> Codec<T> standard(Class<T> type) {
        if (type == byte[].class) {
            return (Codec<T>) BYTES;
        }
        if (type == String.class) {
            return (Codec<T>) STRING;
        }
        if (JACKSON) {
            return new JsonCodec<>(type);
        }
        throw new IllegalArgumentException("No codec for payload type " + type.getName()
                + ": register one with NatsOptions.builder().codec(" + type.getSimpleName()
                + ".class, codec), or add com.fasterxml.jackson.core:jackson-databind for JSON");
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Codecs.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
