package dev.tracewire.sample.support;

import java.time.Duration;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One lazily started resource per JVM (per test class loader), closed at the end of the test run.
 *
 * <p>Closing is registered in the JUnit root {@link ExtensionContext.Store} the first time a test
 * that uses the extension runs: JUnit (5.13+) closes {@link AutoCloseable} values of a store when
 * its context ends, and the root context ends after all tests. ({@code Store.CloseableResource}
 * is deprecated since 5.13 in favour of exactly that.) A JVM shutdown hook closes it as well,
 * for code that called {@code get()} without the extension; closing twice is harmless.
 */
final class SharedResource<T extends AutoCloseable> {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedResource.class);

    private final String name;
    private final Supplier<T> starter;
    private T instance;
    private Duration startupTime;

    SharedResource(String name, Supplier<T> starter) {
        this.name = name;
        this.starter = starter;
    }

    /** The instance, started on first use. */
    synchronized T get() {
        if (instance == null) {
            long start = System.nanoTime();
            T started = starter.get();
            startupTime = Duration.ofNanos(System.nanoTime() - start);
            instance = started;
            Thread hook = new Thread(() -> closeQuietly(started), "close-shared-" + name);
            Runtime.getRuntime().addShutdownHook(hook);
            System.out.printf("[tracewire tests] started shared %s in %d ms: %s%n",
                    name, startupTime.toMillis(), started);
        }
        return instance;
    }

    /** The instance, started on first use, closed when the test run ends. */
    T get(ExtensionContext context) {
        T value = get();
        context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(name, key -> new Closer(value), Closer.class);
        return value;
    }

    /** How long the first {@link #get()} took to start it, or null if it has not been started. */
    synchronized Duration startupTime() {
        return startupTime;
    }

    private void closeQuietly(T value) {
        // Runs at JVM exit; after JUnit closed the value this is a no-op (close() is idempotent).
        try {
            value.close();
        } catch (Exception e) {
            System.err.println("[tracewire tests] failed to close shared " + name + ": " + e);
        }
    }

    /** What the root store closes at the end of the run. */
    private static final class Closer implements AutoCloseable {
        private final AutoCloseable value;

        Closer(AutoCloseable value) {
            this.value = value;
        }

        @Override
        public void close() {
            try {
                value.close();
                System.out.println("[tracewire tests] closed shared " + value);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("cannot close " + value, e);
            }
        }
    }
}
