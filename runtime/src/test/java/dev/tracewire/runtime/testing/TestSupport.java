package dev.tracewire.runtime.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.opentelemetry.api.trace.SpanContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Small helpers shared by the Kafka tests. */
public final class TestSupport {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TestSupport() {
    }

    /** Polls {@code condition} every millisecond until it holds; fails after 10 s. */
    public static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The values of every header {@code name}, in order, read as UTF-8. */
    public static List<String> values(Headers headers, String name) {
        List<String> values = new ArrayList<>();
        for (Header header : headers.headers(name)) {
            values.add(header.value() == null ? null : new String(header.value(), UTF_8));
        }
        return values;
    }

    /** The W3C {@code traceparent} value of {@code context}. */
    public static String traceparent(SpanContext context) {
        return "00-" + context.getTraceId() + "-" + context.getSpanId() + "-" + context.getTraceFlags().asHex();
    }
}
