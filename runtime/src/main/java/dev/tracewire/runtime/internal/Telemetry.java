package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;

/**
 * Where one client's {@link Instruments} come from: the {@code OpenTelemetry} of its options, or
 * the global one. The global one is looked up without the side effect of
 * {@link GlobalOpenTelemetry#get()} (which installs a no-op instance for good when nothing is set
 * yet): until the application registers its SDK the client does not trace, and from the first
 * message after the registration it does. After that, a message costs one volatile read.
 */
public final class Telemetry {

    private volatile Instruments bound;
    private final Capture capture;

    private Telemetry(Instruments bound, Capture capture) {
        this.bound = bound;
        this.capture = capture;
    }

    public static Telemetry of(TracewireOptions options) {
        return new Telemetry(options.usesGlobalOpenTelemetry() ? null : new Instruments(options.openTelemetry()),
                Capture.of(options));
    }

    /** What the client records beyond the messaging attributes. */
    Capture capture() {
        return capture;
    }

    /** The instruments to trace the next message with. */
    public Instruments current() {
        Instruments instruments = bound;
        return instruments != null ? instruments : bindGlobal();
    }

    /** Whether the next message is traced; for the cheap paths of clients that skip tracing altogether. */
    public boolean tracing() {
        return current().tracing;
    }

    /** Whether the next message is traced or measured at all. */
    public boolean active() {
        return current().active;
    }

    private Instruments bindGlobal() {
        if (!GlobalOpenTelemetry.isSet()) {
            return Instruments.NOOP;
        }
        synchronized (this) {
            if (bound == null) {
                bound = new Instruments(GlobalOpenTelemetry.getOrNoop());
            }
            return bound;
        }
    }
}
