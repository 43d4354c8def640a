package dev.tracewire.runtime.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.OPERATION_TYPE_SEND;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The span lifecycle of sending to one destination, for every messaging system: a PRODUCER span
 * {@code <operation> <destination>}, a child of the caller's context, started with the messaging
 * attributes (built once, here) so that samplers see them; the span's context injected into the
 * message through the system's {@link SendAdapter}; the span ended with the acknowledgement's
 * attributes or the failure. The method's {@link Propagation} policy may leave out the span
 * ({@link Propagation#HEADERS_ONLY}: the caller's context goes out as it is) or the injection
 * ({@link Propagation#NONE}).
 *
 * <p>Tracing never costs a message: when a propagator, sampler or span processor throws, the
 * message goes on untraced (logged once per client), and a span that was started is still ended.
 * Ending exactly once is the job of the object that carries the send to its end
 * ({@link SendFuture}, {@link UnobservedSend}, or a synchronous caller).
 *
 * @param <M> the outgoing message
 * @param <A> what the broker acknowledges a message with
 */
public final class SendOperation<M, A> {

    private static final System.Logger LOG = System.getLogger(SendOperation.class.getName());

    private final Telemetry telemetry;
    private final String destination;
    private final String spanName;
    private final Attributes startAttributes;
    private final Attributes metricAttributes;
    private final SendAdapter<M, A> adapter;
    private final Propagation propagation;

    /**
     * A lifecycle that propagates ({@link Propagation#PROPAGATE}).
     *
     * @param system the value of {@code messaging.system}
     * @param operationName the value of {@code messaging.operation.name}, the first word of the span name
     * @param destination the topic or subject
     * @param endpoint the broker and client, as known
     */
    public SendOperation(Telemetry telemetry, String system, String operationName, String destination,
            Endpoint endpoint, SendAdapter<M, A> adapter) {
        this(telemetry, system, operationName, destination, endpoint, adapter, Propagation.PROPAGATE);
    }

    /** As the other constructor, under the method's {@code propagation} policy. */
    public SendOperation(Telemetry telemetry, String system, String operationName, String destination,
            Endpoint endpoint, SendAdapter<M, A> adapter, Propagation propagation) {
        this.telemetry = telemetry;
        this.destination = destination;
        this.spanName = operationName + " " + destination;
        AttributesBuilder attributes = Attributes.builder()
                .put(MESSAGING_SYSTEM, system)
                .put(MESSAGING_DESTINATION_NAME, destination)
                .put(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_SEND)
                .put(MESSAGING_OPERATION_NAME, operationName);
        endpoint.addServerTo(attributes);
        this.metricAttributes = attributes.build();
        endpoint.addClientIdTo(attributes);
        this.startAttributes = attributes.build();
        this.adapter = adapter;
        this.propagation = propagation;
    }

    /** The topic or subject. */
    public String destination() {
        return destination;
    }

    /** Whether the next message is traced at all; false with a no-op {@code OpenTelemetry}. */
    public boolean tracing() {
        return telemetry.tracing();
    }

    /** Whether the next message is traced or measured; false with a no-op {@code OpenTelemetry}. */
    public boolean active() {
        return telemetry.active();
    }

    /**
     * The instruments to send the next message with, chosen once per send: pass them to
     * {@link #clock(Instruments)} and {@link #start(Instruments, Context, Object, SpanContext, Attributes)},
     * so that a client following an unset global {@code OpenTelemetry} asks it once per send.
     */
    public Instruments instruments() {
        return telemetry.current();
    }

    /**
     * When a send starts, for its duration metric: {@link System#nanoTime()} when the send's
     * instruments measure, else 0 without reading the clock. Pass it to {@link #end}.
     */
    public long clock(Instruments instruments) {
        return instruments.metrics.clock();
    }

    /**
     * Starts the span of sending {@code message}, a child of {@code parent}, and injects its context
     * into the message, replacing what the message carried. Never throws: the span is
     * {@link Span#getInvalid() invalid} when tracing is off or a tracing component failed, and then
     * nothing is injected. Under {@link Propagation#HEADERS_ONLY} no span is started and
     * {@code parent} is injected as it is; under {@link Propagation#NONE} nothing is injected.
     */
    public Span start(Context parent, M message) {
        return start(parent, message, null);
    }

    /**
     * As {@link #start(Context, Object)}, with a link to another context, such as that of the
     * original message a dead letter stands for.
     */
    public Span start(Context parent, M message, SpanContext link) {
        return start(parent, message, link, null);
    }

    /**
     * As {@link #start(Context, Object, SpanContext)}, with attributes of this message that the
     * generated method adds from its parameters ({@code @SpanAttribute}), set at start after the
     * messaging attributes; {@code null} or empty adds none.
     */
    public Span start(Context parent, M message, SpanContext link, Attributes extra) {
        return start(telemetry.current(), parent, message, link, extra);
    }

    /** As {@link #start(Context, Object, SpanContext, Attributes)}, with the send's instruments. */
    public Span start(Instruments instruments, Context parent, M message, SpanContext link, Attributes extra) {
        if (!instruments.tracing) {
            return Span.getInvalid();
        }
        if (propagation == Propagation.HEADERS_ONLY) {
            instruments.inject(parent, message, adapter);
            return Span.getInvalid();
        }
        Span span;
        try {
            SpanBuilder builder = instruments.tracer.spanBuilder(spanName)
                    .setSpanKind(SpanKind.PRODUCER)
                    .setParent(parent)
                    .setAllAttributes(startAttributes);
            adapter.addStartAttributes(builder, message);
            Capture capture = telemetry.capture();
            if (capture.capturesHeaders()) {
                capture.addHeaders(builder, message, adapter::header);
            }
            if (extra != null) {
                builder.setAllAttributes(extra);
            }
            if (link != null && link.isValid()) {
                builder.addLink(link);
            }
            span = builder.startSpan();
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.START_SPAN, e);
            return Span.getInvalid();
        }
        if (propagation == Propagation.PROPAGATE) {
            instruments.inject(parent.with(span), message, adapter);
        }
        return span;
    }

    /**
     * The context fields a message sent in {@code span} (from {@link #start}, a child of
     * {@code parent}) carries, for another carrier of it such as a JSON payload: what
     * {@link #start} injected into its headers; empty when it injected nothing. Never throws.
     */
    public Map<String, String> carriedFields(Context parent, Span span) {
        Instruments instruments = telemetry.current();
        Map<String, String> fields = new LinkedHashMap<>();
        if (!instruments.tracing) {
            return fields;
        }
        switch (propagation) {
            case PROPAGATE -> {
                if (span.getSpanContext().isValid()) {
                    instruments.inject(parent.with(span), fields, Map::put);
                }
            }
            case HEADERS_ONLY -> instruments.inject(parent, fields, Map::put);
            case NONE -> {
            }
        }
        return fields;
    }

    /**
     * Ends {@code span} with the send's outcome: the acknowledgement's attributes, or the failure
     * (exception event, status ERROR, {@code error.type}); and measures the send from
     * {@code startNanos} ({@link #clock(Instruments)}). Call it once per send. Never throws.
     */
    public void end(Span span, long startNanos, A ack, Throwable failure) {
        if (startNanos == 0L && span == Span.getInvalid()) {
            return; // neither measured nor traced: nothing to record
        }
        Instruments instruments = telemetry.current();
        if (instruments.metrics.enabled && startNanos != 0L) {
            try {
                instruments.metrics.sent(metricAttributes, startNanos, failure);
            } catch (RuntimeException e) {
                instruments.failed(TracingStep.RECORD, e);
            }
        }
        if (span == Span.getInvalid()) {
            return;
        }
        try {
            if (failure != null) {
                Tracing.fail(span, failure);
            } else if (span.isRecording()) {
                adapter.addAckAttributes(span, ack);
            }
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.RECORD, e);
        }
        instruments.end(span);
    }

    /** Logs the failure of a send whose caller does not wait for its outcome. */
    public void logUnobservedFailure(Throwable failure) {
        LOG.log(System.Logger.Level.WARNING, "tracewire: sending a message to " + destination + " failed", failure);
    }
}
