package dev.tracewire.runtime.internal;

import org.slf4j.MDC;

/** The SLF4J MDC, in one class that is loaded only when slf4j-api is on the class path. */
final class Slf4jMdc {

    private Slf4jMdc() {
    }

    /** Puts {@code value} under {@code key}; what was there before. */
    static String swap(String key, String value) {
        String previous = MDC.get(key);
        MDC.put(key, value);
        return previous;
    }

    /** Puts back what {@link #swap} returned. */
    static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
