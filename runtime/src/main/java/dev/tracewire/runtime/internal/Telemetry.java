package dev.tracewire.runtime.internal;

import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where one client's {@link Instruments} come from: the {@code OpenTelemetry} of its options, or
 * the global one. The global one is looked up without the side effect of
 * {@link GlobalOpenTelemetry#get()} (which installs a no-op instance for good when nothing is set
 * yet): until the application registers its SDK the client does not trace, and from the first
 * message after the registration it does. After that, a message costs one volatile read.
 *
 * <p>Until then, each message asks {@link GlobalOpenTelemetry#isSet()} once (a send or a dispatch
 * chooses its instruments once and keeps them), and that takes a lock the whole JVM shares. So that
 * threads of many clients do not queue on it, one thread of the JVM asks at a time: a message
 * whose thread finds another one asking goes untraced, as it would have a moment earlier, and
 * never waits. A message sent or handled after the registration ended is traced, unless it races
 * with a question asked before it.
 */
public final class Telemetry {

    /** Whether a thread is asking the global whether it is set: one at a time, JVM-wide. */
    private static final AtomicBoolean ASKING = new AtomicBoolean();

    private volatile Instruments bound;
    private final Capture capture;

    private Telemetry(Instruments bound, Capture capture) {
        this.bound = bound;
        this.capture = capture;
    }

    public static Telemetry of(TracewireOptions options) {
        return new Telemetry(options.usesGlobalOpenTelemetry() ? null : Instruments.of(options.openTelemetry()),
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
        if (ASKING.get() || !ASKING.compareAndSet(false, true)) {
            return Instruments.NOOP;
        }
        boolean set;
        try {
            set = GlobalOpenTelemetry.isSet();
        } finally {
            ASKING.setRelease(false);
        }
        if (!set) {
            return Instruments.NOOP;
        }
        synchronized (this) {
            if (bound == null) {
                bound = Instruments.of(GlobalOpenTelemetry.getOrNoop());
            }
            return bound;
        }
    }
}
