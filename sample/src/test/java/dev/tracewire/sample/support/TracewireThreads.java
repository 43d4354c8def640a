package dev.tracewire.sample.support;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** The threads tracewire starts, found by their names: every one of them starts with {@value #PREFIX}. */
public final class TracewireThreads {

    public static final String PREFIX = "tracewire-";

    private TracewireThreads() {
    }

    /** The names of the live threads whose name starts with {@value #PREFIX}. */
    public static Set<String> alive() {
        Set<String> names = new TreeSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith(PREFIX)) {
                names.add(thread.getName() + "@" + Integer.toHexString(System.identityHashCode(thread)));
            }
        }
        return names;
    }

    /**
     * Waits up to {@code timeout} for the threads that exit (a closed consumer's thread may still
     * be returning) until none is alive but those of {@code before}; returns those still alive.
     */
    public static Set<String> awaitOnly(Set<String> before, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<String> left = alive();
            left.removeAll(before);
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(10);
        }
    }
}
