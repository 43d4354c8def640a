package dev.tracewire.runtime.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_TEMPLATE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;

import dev.tracewire.runtime.LegacyCorrelationPropagator;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The context propagation of the messages of one destination, for every messaging system: what
 * context a message carries and what carried it (its headers, legacy headers, a payload's context
 * field, a broken header, nothing), and the context a reply carries, all under the method's
 * {@link Propagation} policy. {@link ProcessOperation} runs the handler in what this reads.
 *
 * <p>Never throws: a failing propagator reads as no context (logged once per client).
 *
 * @param <M> the received message
 */
public final class ConsumerPropagation<M> {

    /**
     * The context a message carries and what carried it, for the propagation-health counter;
     * {@code source} is {@code null} when the context was not read (the policy is
     * {@link Propagation#NONE}, or tracing is off). {@code instruments} are those it was read with,
     * which the message is then handled with: chosen once per message, so that a client following
     * an unset global {@code OpenTelemetry} asks it once.
     */
    public record Carried(Context context, ContextSource source, Instruments instruments) {
    }

    private static final Carried NOT_READ_NOOP = Instruments.NOOP.notRead;

    private final Telemetry telemetry;
    private final TextMapGetter<M> headers;
    private final Propagation policy;
    /** The propagation-health counter's attributes, one set per context source, built once. */
    private final Map<ContextSource, Attributes> sourceAttributes = new EnumMap<>(ContextSource.class);

    /**
     * @param system the value of {@code messaging.system}
     * @param destination the topic or subject subscribed to
     * @param template whether {@code destination} is a pattern (a wildcard subject)
     * @param headers reads a message's headers
     */
    ConsumerPropagation(Telemetry telemetry, String system, String destination, boolean template,
            TextMapGetter<M> headers, Propagation policy) {
        this.telemetry = telemetry;
        this.headers = headers;
        this.policy = policy;
        for (ContextSource source : ContextSource.values()) {
            sourceAttributes.put(source, Attributes.of(MESSAGING_SYSTEM, system,
                    template ? MESSAGING_DESTINATION_TEMPLATE : MESSAGING_DESTINATION_NAME, destination,
                    MessagingMetrics.CONTEXT_SOURCE, source.value));
        }
    }

    /**
     * Whether a message's context is read at all: not under {@link Propagation#NONE}, and not while
     * tracing is off (a no-op {@code OpenTelemetry} extracts nothing, so there is nothing to read
     * or to count).
     */
    private boolean readsContext(Instruments instruments) {
        return policy != Propagation.NONE && instruments.tracing;
    }

    /**
     * What a message whose context is not read carries: the root context, and {@code instruments}.
     * Without tracing it is a constant the compiler folds (an inactive client's instruments are
     * {@link Instruments#NOOP}); else the one its instruments built once.
     */
    private static Carried notRead(Instruments instruments) {
        return instruments == Instruments.NOOP ? NOT_READ_NOOP : instruments.notRead;
    }

    /** The context {@code message} carries in its headers, and what carried it. */
    public Carried carried(M message) {
        return carried(message, null, null);
    }

    /**
     * The context {@code message} carries, and what carried it: its headers' when they hold a valid
     * one; else the one of the fields a payload carried, when it carried a context field
     * ({@code payloadFields} read through {@code getter}; {@code null} when the payload had no such
     * field), which is then {@link ContextSource#PAYLOAD} or, not valid, {@link ContextSource#INVALID}.
     * Nothing is read, or counted, under {@link Propagation#NONE} or while tracing is off.
     */
    public <C> Carried carried(M message, C payloadFields, TextMapGetter<C> getter) {
        Instruments instruments = telemetry.current();
        return readsContext(instruments) ? read(instruments, message, payloadFields, getter) : notRead(instruments);
    }

    /**
     * As {@link #carried(Object, Object, TextMapGetter)}, with the payload's context fields gathered
     * from the message by {@code payloadFields} only when the context is read at all.
     */
    public <N extends M, C> Carried carriedGathering(N message, Function<? super N, C> payloadFields,
            TextMapGetter<C> getter) {
        Instruments instruments = telemetry.current();
        return readsContext(instruments) ? read(instruments, message, payloadFields.apply(message), getter)
                : notRead(instruments);
    }

    private <C> Carried read(Instruments instruments, M message, C payloadFields, TextMapGetter<C> getter) {
        Context fromHeaders = instruments.extract(message, headers);
        ContextSource source = sourceOf(instruments, fromHeaders, message);
        if (payloadFields == null || source == ContextSource.HEADER || source == ContextSource.LEGACY) {
            return new Carried(fromHeaders, source, instruments);
        }
        Context payload = instruments.extract(payloadFields, getter);
        return new Carried(payload, Span.fromContext(payload).getSpanContext().isValid() ? ContextSource.PAYLOAD
                : ContextSource.INVALID, instruments);
    }

    /**
     * The context {@code message} carries in its headers; the root context when none, on failure,
     * and when the policy is {@link Propagation#NONE}.
     */
    public Context extract(M message) {
        return extract(telemetry.current(), message);
    }

    /** As {@link #extract(Object)}, with the instruments the caller already holds. */
    Context extract(Instruments instruments, M message) {
        return readsContext(instruments) ? instruments.extract(message, headers) : Context.root();
    }

    /**
     * The context another carrier of a message holds (its payload, say); the root context when
     * none, when tracing is off, or when the propagator fails.
     */
    public <C> Context extract(C carrier, TextMapGetter<C> getter) {
        Instruments instruments = telemetry.current();
        return instruments.tracing ? instruments.extract(carrier, getter) : Context.root();
    }

    /**
     * What carried the context {@link #extract(Object)} found in {@code message}: its headers when
     * the context is valid (legacy ones when {@code LegacyCorrelationPropagator} read it from them);
     * else whether the message had a header the propagator reads a trace context from (invalid) or
     * none (absent; baggage alone carries no trace context).
     */
    ContextSource sourceOf(Instruments instruments, Context extracted, M message) {
        if (Span.fromContext(extracted).getSpanContext().isValid()) {
            return LegacyCorrelationPropagator.isLegacyContext(extracted) ? ContextSource.LEGACY : ContextSource.HEADER;
        }
        try {
            for (String field : instruments.contextFields) {
                if (headers.get(message, field) != null) {
                    return ContextSource.INVALID;
                }
            }
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.EXTRACT, e);
        }
        return ContextSource.ABSENT;
    }

    /**
     * Injects the current context (inside a process span: that span's) into {@code carrier}, such
     * as the headers of a reply the handler's answer goes out in. Never throws; nothing is injected
     * when tracing is off or the policy is {@link Propagation#NONE}.
     */
    public <C> void injectCurrent(C carrier, TextMapSetter<C> setter) {
        Instruments instruments = telemetry.current();
        if (instruments.tracing && policy != Propagation.NONE) {
            instruments.inject(Context.current(), carrier, setter);
        }
    }

    /** Counts a message by what carried its context, on the propagation-health counter. */
    void count(MessagingMetrics metrics, ContextSource source) {
        metrics.propagated(sourceAttributes.get(source));
    }
}
