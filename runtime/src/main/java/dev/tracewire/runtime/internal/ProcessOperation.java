package dev.tracewire.runtime.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CONSUMER_GROUP_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_TEMPLATE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.OPERATION_TYPE_PROCESS;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.function.Function;

/**
 * The span lifecycle of processing the messages of one destination, for every messaging system:
 * the context the message carries is read ({@link ConsumerPropagation}); the handler runs inside a CONSUMER span
 * {@code process <destination>} (child of that context, started with the messaging attributes built
 * once, here), so that {@code Span.current()} and {@code Baggage.current()} work in it and what it
 * publishes joins the trace; a failure is recorded (exception event, status ERROR,
 * {@code error.type}); the span ends exactly once and the thread's context is restored.
 *
 * <p>Tracing never costs a message: when a propagator, sampler or span processor throws, the
 * handler still runs (untraced for that hop, logged once per client), and a started span is still
 * ended. A message with no context or a malformed one is processed in a new trace.
 *
 * <p>The method's {@link Propagation} policy may leave out the span ({@link Propagation#HEADERS_ONLY}:
 * the handler runs in the context the message carries) or the reading of the context
 * ({@link Propagation#NONE}: every message starts a new trace, and is not counted by the
 * propagation-health counter).
 *
 * @param <M> the received message
 */
public final class ProcessOperation<M> {

    /** Runs the handler of one message. */
    @FunctionalInterface
    public interface Body<M, D> {
        void run(M message, D data) throws Exception;
    }

    private static final String OPERATION_NAME = "process";

    private final Telemetry telemetry;
    private final String spanName;
    private final Attributes startAttributes;
    private final Attributes metricAttributes;
    private final ProcessAdapter<M> adapter;
    /** The span attributes the route's method takes from the message ({@code @SpanAttribute}), or {@code null}. */
    private final Function<? super M, Attributes> methodAttributes;
    /** Whether a span an instrumentation opened around the handler is the process span; set before the first message. */
    private boolean adoptInstrumented;
    private final Propagation propagation;
    private final ConsumerPropagation<M> contexts;

    /**
     * @param system the value of {@code messaging.system}
     * @param destination the topic or subject subscribed to
     * @param template whether {@code destination} is a pattern (a wildcard subject): then it is
     *     {@code messaging.destination.template}, and the adapter adds each message's own name
     * @param consumerGroup the consumer group (Kafka group, NATS queue group), or empty
     * @param endpoint the broker and client, as known
     */
    public ProcessOperation(Telemetry telemetry, String system, String destination, boolean template,
            String consumerGroup, Endpoint endpoint, ProcessAdapter<M> adapter) {
        this(telemetry, system, destination, template, consumerGroup, endpoint, adapter, null);
    }

    /**
     * As the other constructor, with the span attributes the generated method takes from each
     * message ({@code @SpanAttribute} on its key or headers), set at the span's start after the
     * messaging attributes; {@code null} for none.
     */
    public ProcessOperation(Telemetry telemetry, String system, String destination, boolean template,
            String consumerGroup, Endpoint endpoint, ProcessAdapter<M> adapter,
            Function<? super M, Attributes> methodAttributes) {
        this(telemetry, system, destination, template, consumerGroup, endpoint, adapter, methodAttributes,
                Propagation.PROPAGATE);
    }

    /** As the other constructors, under the method's {@code propagation} policy. */
    public ProcessOperation(Telemetry telemetry, String system, String destination, boolean template,
            String consumerGroup, Endpoint endpoint, ProcessAdapter<M> adapter,
            Function<? super M, Attributes> methodAttributes, Propagation propagation) {
        this.telemetry = telemetry;
        this.spanName = OPERATION_NAME + " " + destination;
        AttributesBuilder attributes = Attributes.builder()
                .put(MESSAGING_SYSTEM, system)
                .put(template ? MESSAGING_DESTINATION_TEMPLATE : MESSAGING_DESTINATION_NAME, destination)
                .put(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_PROCESS)
                .put(MESSAGING_OPERATION_NAME, OPERATION_NAME);
        if (!consumerGroup.isEmpty()) {
            attributes.put(MESSAGING_CONSUMER_GROUP_NAME, consumerGroup);
        }
        endpoint.addServerTo(attributes);
        this.metricAttributes = attributes.build();
        endpoint.addClientIdTo(attributes);
        this.startAttributes = attributes.build();
        this.adapter = adapter;
        this.methodAttributes = methodAttributes;
        this.propagation = propagation;
        this.contexts = new ConsumerPropagation<>(telemetry, system, destination, template, adapter, propagation);
    }

    /** Whether the next message is traced at all; false with a no-op {@code OpenTelemetry}. */
    public boolean tracing() {
        return telemetry.tracing();
    }

    /** What context a message carries, and what a reply carries, under the method's propagation policy. */
    public ConsumerPropagation<M> contexts() {
        return contexts;
    }

    /** {@link #process(Object, Context, ContextSource, Object, Body)} with what {@link ConsumerPropagation} found. */
    public <N extends M, D> ProcessFailure process(N message, ConsumerPropagation.Carried carried, D data,
            Body<? super N, ? super D> body) {
        return process(carried.instruments(), message, carried.context(), carried.source(), data, body);
    }

    /**
     * Runs {@code body} for {@code message} inside its process span, a child of {@code parent},
     * with the span in the SLF4J MDC when log correlation is on; counts the message by what
     * carried its context ({@code source}; not counted when {@code null}) and measures it. Under
     * {@link Propagation#HEADERS_ONLY} there is no process span: {@code parent} is current (and in
     * the MDC) while the body runs, unless an instrumentation's span for the message already is.
     *
     * @return {@code null} when the body returned, else what it threw and the span it failed in
     */
    public <N extends M, D> ProcessFailure process(N message, Context parent, ContextSource source, D data,
            Body<? super N, ? super D> body) {
        return process(telemetry.current(), message, parent, source, data, body);
    }

    private <N extends M, D> ProcessFailure process(Instruments instruments, N message, Context parent,
            ContextSource source, D data, Body<? super N, ? super D> body) {
        if (!instruments.active) {
            try {
                body.run(message, data);
                return null;
            } catch (Exception failure) {
                return new ProcessFailure(failure, SpanContext.getInvalid());
            } catch (Error failure) {
                return fatal(failure, SpanContext.getInvalid());
            }
        }
        MessagingMetrics metrics = instruments.metrics;
        long startNanos = metrics.clock();
        if (metrics.enabled && source != null) {
            contexts.count(metrics, source);
        }
        boolean headersOnly = propagation == Propagation.HEADERS_ONLY;
        Span instrumented = adoptInstrumented && instruments.tracing ? instrumented(instruments, parent) : null;
        Span adopted = headersOnly ? null : adopt(instruments, instrumented);
        Span span = adopted != null ? adopted
                : instruments.tracing && !headersOnly ? start(instruments, message, parent) : Span.getInvalid();
        Scope scope;
        if (span != Span.getInvalid() && adopted == null) {
            scope = instruments.makeCurrent(parent.with(span));
        } else if (headersOnly && instrumented == null && instruments.tracing) {
            scope = instruments.makeCurrent(parent);
        } else {
            scope = Scope.noop();
        }
        // Without a span of its own, the message is handled in the context it carries (or the one an
        // instrumentation opened for it): that context's span is the one a failure belongs to.
        Span handledIn = headersOnly ? Span.current() : span;
        LogContext logContext = telemetry.capture().logCorrelation ? LogContext.enter(instruments, handledIn) : null;
        Throwable failed = null;
        try {
            body.run(message, data);
            return null;
        } catch (Exception failure) {
            failed = failure;
            instruments.fail(span, failure);
            return new ProcessFailure(failure, handledIn.getSpanContext());
        } catch (Error failure) {
            failed = failure;
            instruments.fail(span, failure);
            return fatal(failure, handledIn.getSpanContext());
        } finally {
            if (logContext != null) {
                logContext.exit(instruments);
            }
            instruments.close(scope);
            if (adopted == null) {
                instruments.end(span);
            }
            if (metrics.enabled) {
                measure(instruments, startNanos, failed);
            }
        }
    }

    /**
     * Runs {@code body} for a batch of messages inside one process span, a child of the current
     * context (the root on a consumer's own thread), with {@code messaging.batch.message_count} and
     * one link per message to the context it carries (a message without one has nothing to link
     * to), each link carrying where the message is (the adapter's link attributes). The batch fails
     * or succeeds as one: the body's failure is recorded on the span. Counts each message by what
     * carried its context, and measures the batch as one process duration of that many messages.
     *
     * @return {@code null} when the body returned, else what it threw and the span it failed in
     */
    public <N extends M, D> ProcessFailure processBatch(List<N> messages, D data,
            Body<? super List<N>, ? super D> body) {
        Instruments instruments = telemetry.current();
        if (!instruments.active) {
            try {
                body.run(messages, data);
                return null;
            } catch (Exception failure) {
                return new ProcessFailure(failure, SpanContext.getInvalid());
            } catch (Error failure) {
                return fatal(failure, SpanContext.getInvalid());
            }
        }
        MessagingMetrics metrics = instruments.metrics;
        long startNanos = metrics.clock();
        Span span = startBatch(instruments, messages, metrics);
        Scope scope = span == Span.getInvalid() ? Scope.noop()
                : instruments.makeCurrent(Context.current().with(span));
        LogContext logContext = telemetry.capture().logCorrelation ? LogContext.enter(instruments, span) : null;
        Throwable failed = null;
        try {
            body.run(messages, data);
            return null;
        } catch (Exception failure) {
            failed = failure;
            instruments.fail(span, failure);
            return new ProcessFailure(failure, span.getSpanContext());
        } catch (Error failure) {
            failed = failure;
            instruments.fail(span, failure);
            return fatal(failure, span.getSpanContext());
        } finally {
            if (logContext != null) {
                logContext.exit(instruments);
            }
            instruments.close(scope);
            instruments.end(span);
            if (metrics.enabled) {
                try {
                    metrics.consumed(metricAttributes, startNanos, failed, messages.size());
                } catch (RuntimeException e) {
                    instruments.failed(TracingStep.RECORD, e);
                }
            }
        }
    }

    /**
     * The process span of a batch, linked to each message's context (the invalid span when tracing
     * is off or fails); counts each message's context source when metrics are on.
     */
    private <N extends M> Span startBatch(Instruments instruments, List<N> messages, MessagingMetrics metrics) {
        if (!instruments.tracing && !metrics.enabled) {
            return Span.getInvalid();
        }
        SpanBuilder builder = null;
        try {
            if (instruments.tracing && propagation != Propagation.HEADERS_ONLY) {
                builder = instruments.tracer.spanBuilder(spanName)
                        .setSpanKind(SpanKind.CONSUMER)
                        .setParent(Context.current())
                        .setAllAttributes(startAttributes)
                        .setAttribute(MessagingAttributes.MESSAGING_BATCH_MESSAGE_COUNT, (long) messages.size());
            }
            for (N message : messages) {
                if (propagation == Propagation.NONE) {
                    continue;
                }
                Context carried = contexts.extract(instruments, message);
                if (metrics.enabled) {
                    contexts.count(metrics, contexts.sourceOf(instruments, carried, message));
                }
                SpanContext linked = Span.fromContext(carried).getSpanContext();
                if (builder != null && linked.isValid()) {
                    builder.addLink(linked, adapter.linkAttributes(message));
                }
            }
            return builder == null ? Span.getInvalid() : builder.startSpan();
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.START_SPAN, e);
            return Span.getInvalid();
        }
    }

    private void measure(Instruments instruments, long startNanos, Throwable failure) {
        try {
            instruments.metrics.consumed(metricAttributes, startNanos, failure);
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.RECORD, e);
        }
    }

    /**
     * From now on, takes a span that an instrumentation already opened around the handler for the
     * message as the process span, instead of starting a second one: OpenTelemetry's Java agent
     * wraps every NATS message handler in a CONSUMER span that continues the message's context, and
     * makes one current for each Kafka record while code iterates over polled records.
     * Tracewire's start attributes go on that span and a failure is recorded on it; the
     * instrumentation ends it. Call before the first message.
     */
    public void adoptInstrumentedSpans() {
        adoptInstrumented = true;
    }

    /**
     * The current span, when an instrumentation opened it for this message: valid, not the context
     * the message carries, and in the trace that context continues (any trace when the message
     * carries none). {@code null} otherwise, and when a tracing component fails.
     */
    private static Span instrumented(Instruments instruments, Context parent) {
        try {
            Span current = Span.current();
            SpanContext adoptee = current.getSpanContext();
            SpanContext carried = Span.fromContext(parent).getSpanContext();
            if (!adoptee.isValid() || adoptee.equals(carried)
                    || carried.isValid() && !carried.getTraceId().equals(adoptee.getTraceId())) {
                return null;
            }
            return current;
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.START_SPAN, e);
            return null;
        }
    }

    /** Takes an instrumentation's span as the process span: tracewire's start attributes go on it. */
    private Span adopt(Instruments instruments, Span instrumented) {
        if (instrumented == null) {
            return null;
        }
        try {
            instrumented.setAllAttributes(startAttributes);
            return instrumented;
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.START_SPAN, e);
            return null;
        }
    }

    /** The JVM's own errors are not the message's fault: they go on up and stop the consumer. */
    private static ProcessFailure fatal(Error failure, SpanContext span) {
        if (failure instanceof VirtualMachineError) {
            throw failure;
        }
        return new ProcessFailure(failure, span);
    }

    private Span start(Instruments instruments, M message, Context parent) {
        try {
            SpanBuilder builder = instruments.tracer.spanBuilder(spanName)
                    .setSpanKind(SpanKind.CONSUMER)
                    .setParent(parent)
                    .setAllAttributes(startAttributes);
            adapter.addStartAttributes(builder, message);
            Capture capture = telemetry.capture();
            if (capture.capturesHeaders()) {
                capture.addHeaders(builder, message, adapter::get);
            }
            if (methodAttributes != null) {
                addMethodAttributes(builder, message);
            }
            return builder.startSpan();
        } catch (RuntimeException e) {
            instruments.failed(TracingStep.START_SPAN, e);
            return Span.getInvalid();
        }
    }

    /**
     * Adds the attributes the method takes from the message. A message that could not be
     * deserialized reaches this with its raw bytes, which the generated function cannot read
     * ({@code ClassCastException}): its span goes without them.
     */
    private void addMethodAttributes(SpanBuilder builder, M message) {
        Attributes extra;
        try {
            extra = methodAttributes.apply(message);
        } catch (RuntimeException unreadable) {
            return;
        }
        builder.setAllAttributes(extra);
    }
}
