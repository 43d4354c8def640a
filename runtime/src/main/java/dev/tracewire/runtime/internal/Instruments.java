package dev.tracewire.runtime.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one client traces and measures with, taken from one {@code OpenTelemetry} once: its tracer,
 * its propagator, its metric instruments, and whether any of them is on at all.
 */
public final class Instruments {

    private static final System.Logger LOG = System.getLogger(Instruments.class.getName());

    /** No tracing: the API's no-op tracer and propagator. */
    static final Instruments NOOP = new Instruments(OpenTelemetry.noop());

    final Tracer tracer;
    final TextMapPropagator propagator;
    /**
     * The headers the propagator reads a trace context from: its fields without W3C baggage's,
     * which carries none (a message with baggage alone has no context, rather than a broken one).
     */
    final List<String> contextFields;
    /** False when the {@code OpenTelemetry} is a no-op one: messages then skip tracing altogether. */
    final boolean tracing;
    final MessagingMetrics metrics;
    /** Whether anything is traced or measured; false with {@code OpenTelemetry.noop()}. */
    final boolean active;
    /** What a message whose context is not read carries when handled with these instruments; built once. */
    final ConsumerPropagation.Carried notRead = new ConsumerPropagation.Carried(Context.root(), null, this);
    /** One bit per {@link TracingStep} that has failed and been logged. */
    private final AtomicInteger warned = new AtomicInteger();

    /** The instruments of {@code openTelemetry}: {@link #NOOP} when it neither traces nor measures. */
    static Instruments of(OpenTelemetry openTelemetry) {
        Instruments instruments = new Instruments(openTelemetry);
        return instruments.active ? instruments : NOOP;
    }

    private Instruments(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.tracerBuilder(Tracing.INSTRUMENTATION_NAME)
                .setInstrumentationVersion(Tracing.VERSION)
                .build();
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.contextFields = contextFields(propagator);
        this.tracing = !(openTelemetry.getTracerProvider() == TracerProvider.noop()
                && propagator == TextMapPropagator.noop());
        this.metrics = new MessagingMetrics(openTelemetry);
        this.active = tracing || metrics.enabled;
    }

    private List<String> contextFields(TextMapPropagator propagator) {
        try {
            List<String> fields = new ArrayList<>(propagator.fields());
            fields.removeAll(W3CBaggagePropagator.getInstance().fields());
            return List.copyOf(fields);
        } catch (RuntimeException e) {
            failed(TracingStep.EXTRACT, e);
            return List.of();
        }
    }

    /** Injects {@code context} into {@code carrier}; a failing propagator leaves the carrier as it is. */
    <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        try {
            propagator.inject(context, carrier, setter);
        } catch (RuntimeException e) {
            failed(TracingStep.INJECT, e);
        }
    }

    /** The context {@code carrier} holds; the root context when the propagator fails. */
    <C> Context extract(C carrier, TextMapGetter<C> getter) {
        try {
            return propagator.extract(Context.root(), carrier, getter);
        } catch (RuntimeException e) {
            failed(TracingStep.EXTRACT, e);
            return Context.root();
        }
    }

    /** Makes {@code context} current; a no-op scope when a context storage fails. */
    Scope makeCurrent(Context context) {
        try {
            return context.makeCurrent();
        } catch (RuntimeException e) {
            failed(TracingStep.MAKE_CURRENT, e);
            return Scope.noop();
        }
    }

    /** Closes {@code scope}, restoring the context before it. */
    void close(Scope scope) {
        try {
            scope.close();
        } catch (RuntimeException e) {
            failed(TracingStep.MAKE_CURRENT, e);
        }
    }

    /** Records {@code failure} on {@code span}: exception event, status ERROR, {@code error.type}. */
    void fail(Span span, Throwable failure) {
        try {
            Tracing.fail(span, failure);
        } catch (RuntimeException e) {
            failed(TracingStep.RECORD, e);
        }
    }

    /** Ends {@code span}; a failing span processor leaves it ended as far as tracewire goes. */
    void end(Span span) {
        try {
            span.end();
        } catch (RuntimeException e) {
            failed(TracingStep.END_SPAN, e);
        }
    }

    /** Logs the first failure of {@code step}; later ones of the same step stay quiet. */
    void failed(TracingStep step, Throwable failure) {
        int bit = 1 << step.ordinal();
        int before = warned.getAndUpdate(bits -> bits | bit);
        if ((before & bit) == 0) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: a tracing component failed while "
                    + step.description() + "; the message goes on without it (untraced hop). Logged once per"
                    + " client; later failures of this step are not logged", failure);
        }
    }
}
