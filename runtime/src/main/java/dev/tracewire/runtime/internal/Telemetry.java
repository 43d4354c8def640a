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

    private Telemetry(Instruments bound) {
        this.bound = bound;
    }

    public static Telemetry of(TracewireOptions options) {
        return options.usesGlobalOpenTelemetry()
                ? new Telemetry(null)
                : new Telemetry(new Instruments(options.openTelemetry()));
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
