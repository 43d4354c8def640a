package dev.tracewire.sample.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded random message headers of the kind a consumer meets from peers it does not control:
 * malformed {@code traceparent}, {@code tracestate} and {@code baggage}, bytes that are not UTF-8,
 * null and empty values, the same header more than once (in other letter cases too), and values of
 * 8 KB. The seed is {@code -Dtracewire.fuzz.seed} when given, else a fresh one; tests print it so a
 * failure can be run again.
 *
 * <p>NATS header values are narrower: they end at a line break, have no null, and jnats (2.26.2)
 * takes only 7-bit bytes: a byte above 0x7F in a header makes its connection's reader thread fail
 * and stop reading for good, silently (nats-io/nats.java#1315 is that family), before any message
 * reaches tracewire. {@link #nats} keeps to what jnats takes: every byte from 0x00 to 0x7F but CR
 * and LF.
 */
public final class HeaderFuzz {

    /** One header; a {@code null} value is a header without a value (Kafka has them). */
    public record Header(String name, byte[] value) {
    }

    /** How big a big value is. */
    public static final int BIG = 8 * 1024;

    private static final String[] NAMES = {"traceparent", "tracestate", "baggage", "Traceparent", "TRACEPARENT",
            "TraceState", "Baggage", "tenant", "blob", "b3", "uber-trace-id"};
    private static final String HEX = "0123456789abcdef";

    private final Random random;
    private final boolean nats;

    private HeaderFuzz(long seed, boolean nats) {
        this.random = new Random(seed);
        this.nats = nats;
    }

    /** Kafka header values: any bytes, or none at all. */
    public static HeaderFuzz kafka(long seed) {
        return new HeaderFuzz(seed, false);
    }

    /** NATS header values: 7-bit bytes but CR and LF, never null. */
    public static HeaderFuzz nats(long seed) {
        return new HeaderFuzz(seed, true);
    }

    /** The seed to use: {@code -Dtracewire.fuzz.seed}, else a new one. */
    public static long seed() {
        Long given = Long.getLong("tracewire.fuzz.seed");
        return given != null ? given : new Random().nextLong();
    }

    /** The headers of the next message: none to five, some of them twice. */
    public List<Header> next() {
        List<Header> headers = new ArrayList<>();
        int count = random.nextInt(6);
        for (int i = 0; i < count; i++) {
            String name = NAMES[random.nextInt(NAMES.length)];
            if (random.nextInt(10) == 0) {
                name = "x-" + token(1 + random.nextInt(12));
            }
            headers.add(new Header(name, fit(value())));
            if (random.nextInt(6) == 0) {
                String again = random.nextBoolean() ? name : name.toUpperCase(Locale.ROOT);
                headers.add(new Header(again, fit(value())));
            }
        }
        return headers;
    }

    private byte[] value() {
        return switch (random.nextInt(12)) {
            case 0 -> ascii(traceparent());
            case 1, 2 -> ascii(brokenTraceparent());
            case 3 -> ascii(tracestate());
            case 4 -> ascii(baggage());
            case 5 -> bytes(random.nextInt(64));
            case 6 -> random.nextInt(4) > 0 ? bytes(random.nextInt(512))
                    : random.nextBoolean() ? bytes(BIG) : ascii(repeat("k=v,", BIG / 4));
            case 7 -> random.nextBoolean() ? null : new byte[0];
            case 8 -> ascii(random.nextBoolean() ? " " : "\t00-" + hex(32) + "-" + hex(16) + "-01 ");
            case 9 -> "tenant-ü-€-😀-日本".getBytes(StandardCharsets.UTF_8);
            case 10 -> notUtf8();
            default -> ascii(token(1 + random.nextInt(40)));
        };
    }

    private String traceparent() {
        return "00-" + hex(32) + "-" + hex(16) + "-0" + random.nextInt(2);
    }

    private String brokenTraceparent() {
        String valid = traceparent();
        return switch (random.nextInt(12)) {
            case 0 -> valid.substring(0, random.nextInt(valid.length()));
            case 1 -> valid + "-" + token(1 + random.nextInt(8));
            case 2 -> "ff" + valid.substring(2);
            case 3 -> "00-" + "0".repeat(32) + valid.substring(35);
            case 4 -> valid.substring(0, 36) + "0".repeat(16) + valid.substring(52);
            case 5 -> valid.toUpperCase(Locale.ROOT);
            case 6 -> valid.substring(0, 53) + "zz";
            case 7 -> valid.replace('-', '_');
            case 8 -> "01-" + valid.substring(3) + "-extra";
            case 9 -> valid.substring(0, 10) + "g" + valid.substring(11);
            case 10 -> "00-" + hex(31) + "-" + hex(17) + "-01";
            default -> "";
        };
    }

    private String tracestate() {
        return switch (random.nextInt(6)) {
            case 0 -> "vendor=" + token(8) + ",other@tenant=" + token(4);
            case 1 -> repeat("k" + random.nextInt(100) + "=v,", 40);
            case 2 -> "@@=1,=,,,=x";
            case 3 -> repeat("a=" + token(200) + ",", BIG / 200);
            case 4 -> ",,,";
            default -> "key without value";
        };
    }

    private String baggage() {
        return switch (random.nextInt(7)) {
            case 0 -> "user=" + token(6) + ";meta=1,region=eu%20west";
            case 1 -> "=";
            case 2 -> "k";
            case 3 -> "%zz=%;;;,,";
            case 4 -> repeat("k" + random.nextInt(1000) + "=v,", 200);
            case 5 -> "k=" + repeat("x", BIG);
            default -> "a=b;;;=;c";
        };
    }

    /** Bytes that are not UTF-8: lone continuation bytes, a truncated sequence, 0xFF. */
    private byte[] notUtf8() {
        return new byte[] {(byte) 0xC3, 0x28, (byte) 0xA0, (byte) 0xA1, (byte) 0xE2, (byte) 0x82, (byte) 0xFF,
                (byte) 0xFE, 'x'};
    }

    private byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A value as the system can carry it: for NATS, other bytes become random ones it takes. */
    private byte[] fit(byte[] value) {
        if (!nats) {
            return value;
        }
        if (value == null) {
            return new byte[0];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length);
        for (byte b : value) {
            int c = b;
            while (c < 0 || c == '\r' || c == '\n') {
                c = random.nextInt(128);
            }
            out.write(c);
        }
        return out.toByteArray();
    }

    private String hex(int length) {
        StringBuilder hex = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            hex.append(HEX.charAt(random.nextInt(16)));
        }
        return hex.toString();
    }

    private String token(int length) {
        StringBuilder token = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            token.append((char) ('a' + random.nextInt(26)));
        }
        return token.toString();
    }

    private static String repeat(String text, int times) {
        return text.repeat(Math.max(1, times));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
