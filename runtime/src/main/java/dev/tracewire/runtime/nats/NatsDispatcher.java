package dev.tracewire.runtime.nats;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CONSUMER_GROUP_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_TEMPLATE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_DELIVERY_COUNT;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_SEQUENCE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_STREAM;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.OPERATION_TYPE_PROCESS;
import static dev.tracewire.runtime.internal.MessagingAttributes.SYSTEM_NATS;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.Codecs;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.Declared;
import dev.tracewire.runtime.internal.JsonSupport;
import dev.tracewire.runtime.internal.Tracing;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsJetStreamMetaData;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs each message of a generated NATS consumer through the method of its subscription, inside a
 * CONSUMER span {@code process <subscribed subject>} whose parent is the context the message
 * carries in its headers or, for header-less peers, in its JSON payload. Called by generated code.
 */
public final class NatsDispatcher {

    private static final System.Logger LOG = System.getLogger(NatsDispatcher.class.getName());
    private static final String OPERATION_NAME = "process";
    private static final byte[] EMPTY = new byte[0];
    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    final String interfaceName;
    final String group;
    final TracewireOptions options;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean tracing;
    final List<Route<?>> routes;
    /** Routes of subjects without wildcards, by subject: one lookup per message. */
    private final Map<String, Route<?>> literalRoutes;
    /** Routes of wildcard subjects, in declaration order. */
    private final List<Route<?>> wildcardRoutes;

    private NatsDispatcher(Builder builder) {
        this.interfaceName = builder.interfaceName;
        this.group = builder.group;
        this.options = builder.options;
        this.tracer = Tracing.tracer(options.openTelemetry());
        this.propagator = options.openTelemetry().getPropagators().getTextMapPropagator();
        this.tracing = !Tracing.isNoop(options.openTelemetry());
        this.routes = List.copyOf(builder.routes);
        Map<String, Route<?>> literal = new HashMap<>();
        List<Route<?>> wildcard = new ArrayList<>();
        for (Route<?> route : routes) {
            if (route.pattern.isWildcard()) {
                wildcard.add(route);
            } else {
                literal.putIfAbsent(route.subject, route);
            }
        }
        this.literalRoutes = Map.copyOf(literal);
        this.wildcardRoutes = List.copyOf(wildcard);
    }

    public static Builder builder(String interfaceName, String group, TracewireOptions options) {
        return new Builder(interfaceName, group, options);
    }

    /**
     * Subscribes on {@code connection} (core subjects through one NATS dispatcher, in the queue group
     * when the interface names one; JetStream subjects as durable consumers with explicit acks) and
     * handles messages until the subscription is closed. The connection stays the caller's.
     */
    public Subscription start(Connection connection) {
        return NatsSubscription.start(Objects.requireNonNull(connection, "connection"), this);
    }

    /**
     * Handles one message that the caller's own subscription received: runs the method of the
     * subscribed subject it matches inside a process span, publishes a responder's reply, and
     * rethrows what the method threw after recording it. JetStream messages are not acknowledged
     * here; that stays the caller's. A method whose subject is the message's exact subject wins over
     * wildcard subjects, which are tried in declaration order.
     *
     * @throws IllegalArgumentException when no method's subject matches the message's
     */
    public <X extends Exception> void handle(Message message, Class<X> declared) throws X {
        try {
            handle(message);
        } catch (Exception failure) {
            throw Declared.rethrow(failure, declared);
        }
    }

    /** {@link #handle(Message, Class)} rethrowing anything. */
    public void handle(Message message) throws Exception {
        String subject = message.getSubject();
        Route<?> route = literalRoutes.get(subject);
        if (route == null) {
            route = matchWildcard(subject);
        }
        if (route == null) {
            throw new IllegalArgumentException(interfaceName + " has no method for subject '" + subject
                    + "'; its subjects are " + routes.stream().map(r -> r.subject).toList());
        }
        process(route, message);
    }

    private Route<?> matchWildcard(String subject) {
        for (Route<?> route : wildcardRoutes) {
            if (route.pattern.matches(subject)) {
                return route;
            }
        }
        return null;
    }

    /** Runs {@code route}'s method for {@code message} inside its process span; replies if it is a responder. */
    <T> void process(Route<T> route, Message message) throws Exception {
        if (!tracing) {
            processUntraced(route, message);
            return;
        }
        byte[] data = message.getData() == null ? EMPTY : message.getData();
        Context parent = extract(message.hasHeaders() ? message.getHeaders() : null);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            JsonSupport.Embedded embedded = embeddedContext(data);
            if (embedded != null) {
                parent = propagator.extract(Context.root(), embedded.context(), MAP_GETTER);
                data = embedded.payload();
            }
        }
        Span span = startSpan(route, message, parent, data.length);
        Context context = parent.with(span);
        Scope scope = context.makeCurrent();
        try {
            invoke(route, message, data, context);
        } catch (Throwable failure) {
            Tracing.fail(span, failure);
            throw failure;
        } finally {
            scope.close();
            span.end();
        }
    }

    /**
     * {@link #process} for a no-op {@code OpenTelemetry}: no span, no scope, no extraction; a context
     * a header-less peer embedded in a JSON payload is still taken out before decoding.
     */
    private <T> void processUntraced(Route<T> route, Message message) throws Exception {
        byte[] data = message.getData() == null ? EMPTY : message.getData();
        JsonSupport.Embedded embedded = embeddedContext(data);
        invoke(route, message, embedded == null ? data : embedded.payload(), null);
    }

    /** The context a header-less peer embedded in a JSON payload, and the payload without it; or {@code null}. */
    private JsonSupport.Embedded embeddedContext(byte[] data) {
        return Codecs.jsonAvailable() ? JsonSupport.extract(data, options.payloadContextField()) : null;
    }

    /** Decodes the payload, runs the route's method and publishes a responder's reply in {@code context}. */
    private <T> void invoke(Route<T> route, Message message, byte[] data, Context context) throws Exception {
        T payload = route.codec == null ? null : route.codec.decode(data);
        Object reply = route.handler.respond(payload, message);
        if (route.replyCodec != null) {
            reply(route, message, reply, context);
        }
    }

    private Span startSpan(Route<?> route, Message message, Context parent, int bodySize) {
        SpanBuilder builder = tracer.spanBuilder(route.spanName)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAllAttributes(route.startAttributes)
                .setAttribute(MESSAGING_DESTINATION_NAME, message.getSubject());
        if (options.captureBodySize()) {
            builder.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, (long) bodySize);
        }
        if (message.isJetStream()) {
            NatsJetStreamMetaData metaData = message.metaData();
            builder.setAttribute(MESSAGING_NATS_STREAM, metaData.getStream())
                    .setAttribute(MESSAGING_NATS_SEQUENCE, metaData.streamSequence())
                    .setAttribute(MESSAGING_NATS_DELIVERY_COUNT, metaData.deliveredCount());
        }
        return builder.startSpan();
    }

    /** Publishes the encoded reply; {@code context}, when tracing, is injected into its headers. */
    @SuppressWarnings("unchecked") // the route's reply codec is of the type its handler returns
    private void reply(Route<?> route, Message request, Object reply, Context context) {
        String replyTo = request.getReplyTo();
        if (replyTo == null || replyTo.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: " + interfaceName + " answered a message on "
                    + request.getSubject() + " that has no reply subject; the answer is dropped");
            return;
        }
        Headers headers = null;
        if (context != null) {
            headers = new Headers();
            propagator.inject(context, headers, NatsHeaders.SETTER);
        }
        byte[] body = ((Codec<Object>) route.replyCodec).encode(reply);
        request.getConnection().publish(replyTo, headers == null || headers.isEmpty() ? null : headers, body);
    }

    private Context extract(Headers headers) {
        if (headers == null) {
            return Context.root();
        }
        try {
            return propagator.extract(Context.root(), headers, NatsHeaders.GETTER);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: could not extract the trace context of a NATS message;"
                    + " it is processed in a new trace", e);
            return Context.root();
        }
    }

    /** Everything about one subscription of the interface that does not change from message to message. */
    static final class Route<T> {
        final String subject;
        final SubjectPattern pattern;
        final String stream;
        final Codec<T> codec;
        final Codec<?> replyCodec;
        final Responder<T, ?> handler;
        final String spanName;
        final Attributes startAttributes;

        Route(String subject, String stream, Codec<T> codec, Codec<?> replyCodec, Responder<T, ?> handler,
                String group) {
            this.subject = subject;
            this.pattern = SubjectPattern.compile(subject);
            this.stream = stream;
            this.codec = codec;
            this.replyCodec = replyCodec;
            this.handler = handler;
            this.spanName = OPERATION_NAME + " " + subject;
            AttributesBuilder attributes = Attributes.builder()
                    .put(MESSAGING_SYSTEM, SYSTEM_NATS)
                    .put(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_PROCESS)
                    .put(MESSAGING_OPERATION_NAME, OPERATION_NAME);
            if (pattern.isWildcard()) {
                attributes.put(MESSAGING_DESTINATION_TEMPLATE, subject);
            }
            if (!group.isEmpty()) {
                attributes.put(MESSAGING_CONSUMER_GROUP_NAME, group);
            }
            this.startAttributes = attributes.build();
        }

        boolean jetStream() {
            return stream != null;
        }
    }

    /** Collects the method of each subscription. Called by generated code. */
    public static final class Builder {
        private final String interfaceName;
        private final String group;
        private final TracewireOptions options;
        private final List<Route<?>> routes = new ArrayList<>();

        private Builder(String interfaceName, String group, TracewireOptions options) {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            this.group = Objects.requireNonNull(group, "group");
            this.options = Objects.requireNonNull(options, "options");
        }

        /** Core NATS: messages of {@code subject} (wildcards allowed) go to {@code handler}. */
        public <T> Builder route(String subject, Class<T> payloadType, MessageHandler<T> handler) {
            return add(new Route<>(subject, null, codec(payloadType), null, returningNothing(handler), group));
        }

        /** A responder: what {@code handler} returns is published, encoded, to the message's reply subject. */
        public <T, R> Builder respond(String subject, Class<T> payloadType, Class<R> replyType,
                Responder<T, R> responder) {
            return add(new Route<>(subject, null, codec(payloadType), options.codecFor(replyType), responder, group));
        }

        /** JetStream: a durable consumer of {@code stream} for {@code subject}, acknowledged after the handler. */
        public <T> Builder routeStream(String subject, String stream, Class<T> payloadType, MessageHandler<T> handler) {
            return add(new Route<>(subject, stream, codec(payloadType), null, returningNothing(handler), group));
        }

        private static <T> Responder<T, Object> returningNothing(MessageHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return (payload, message) -> {
                handler.handle(payload, message);
                return null;
            };
        }

        private <T> Codec<T> codec(Class<T> payloadType) {
            return payloadType == null ? null : options.codecFor(payloadType);
        }

        private Builder add(Route<?> route) {
            routes.add(route);
            return this;
        }

        public NatsDispatcher build() {
            return new NatsDispatcher(this);
        }
    }
}
