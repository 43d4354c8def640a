package dev.tracewire.runtime;

import dev.tracewire.runtime.internal.JsonSupport;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The built-in codecs, and the choice of a codec for a payload type. */
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

    public static Codec<byte[]> bytes() {
        return BYTES;
    }

    public static Codec<String> string() {
        return STRING;
    }

    /** Whether Jackson is on the class path, so that JSON payloads and payload-embedded context work. */
    public static boolean jsonAvailable() {
        return JACKSON;
    }

    /** JSON through Jackson. */
    public static <T> Codec<T> json(Class<T> type) {
        if (!JACKSON) {
            throw new IllegalStateException("JSON payloads need com.fasterxml.jackson.core:jackson-databind on the"
                    + " class path");
        }
        return JsonSupport.codec(type);
    }

    /** The codec for {@code type}: a registered one, a built-in one, or JSON when Jackson is there. */
    @SuppressWarnings("unchecked") // the registry maps each class to a codec of that class
    static <T> Codec<T> choose(Class<T> type, Map<Class<?>, Codec<?>> registered) {
        Codec<?> codec = registered.get(type);
        if (codec != null) {
            return (Codec<T>) codec;
        }
        if (type == byte[].class) {
            return (Codec<T>) BYTES;
        }
        if (type == String.class) {
            return (Codec<T>) STRING;
        }
        if (JACKSON) {
            return JsonSupport.codec(type);
        }
        throw new IllegalArgumentException("No codec for NATS payload type " + type.getName()
                + ": register one with TracewireOptions.builder().codec(" + type.getSimpleName()
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
