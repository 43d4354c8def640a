package dev.tracewire.runtime.nats.internal;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.PayloadCarrier;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.UndecodablePayloadException;
import dev.tracewire.runtime.internal.CompositeSubscription;
import dev.tracewire.runtime.internal.Declared;
import dev.tracewire.runtime.internal.Endpoint;
import dev.tracewire.runtime.internal.JavaAgent;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.internal.ProcessOperation;
import dev.tracewire.runtime.internal.Propagation;
import dev.tracewire.runtime.internal.Telemetry;
import dev.tracewire.runtime.nats.NatsOptions;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs each message of a generated NATS consumer through the method of its subscription, in the
 * shared process lifecycle: inside a CONSUMER span {@code process <subscribed subject>} whose
 * parent is the context the message carries in its headers or, for header-less peers, in its JSON
 * payload (the options' {@link PayloadCarrier}: taken out of the payload before decoding, whatever
 * it holds), as the method's propagation policy says.
 */
public final class NatsDispatcher {

    private static final System.Logger LOG = System.getLogger(NatsDispatcher.class.getName());
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
    private final Telemetry telemetry;
    private final List<RouteSpec<?>> specs;
    /** The propagation policy of each subscribed subject whose method does not propagate. */
    private final Map<String, Propagation> propagation;
    /** The routes of push subscriptions: core subjects and JetStream handlers of one message. */
    final List<Route<?>> routes;
    /** The routes of batch methods, each fetching from a JetStream pull consumer of its own. */
    final List<Route<?>> batchRoutes;
    /** Routes of subjects without wildcards, by subject: one lookup per message. */
    private final Map<String, Route<?>> literalRoutes;
    /** Routes of wildcard subjects, in declaration order. */
    private final List<Route<?>> wildcardRoutes;
    private final PayloadCarrier payloadCarrier;

    private NatsDispatcher(String interfaceName, String group, TracewireOptions options, Telemetry telemetry,
            List<RouteSpec<?>> specs, Map<String, Propagation> propagation, Endpoint endpoint) {
        this.interfaceName = interfaceName;
        this.group = group;
        this.options = options;
        this.telemetry = telemetry;
        this.specs = specs;
        this.propagation = propagation;
        this.payloadCarrier = options.payloadCarrier();
        List<Route<?>> all = new ArrayList<>();
        List<Route<?>> batch = new ArrayList<>();
        Map<String, Route<?>> literal = new HashMap<>();
        List<Route<?>> wildcard = new ArrayList<>();
        for (RouteSpec<?> spec : specs) {
            Route<?> route = spec.bind(this, endpoint);
            (route.batch == null ? all : batch).add(route);
            if (route.pattern.isWildcard()) {
                wildcard.add(route);
            } else {
                literal.putIfAbsent(route.subject, route);
            }
        }
        this.routes = List.copyOf(all);
        this.batchRoutes = List.copyOf(batch);
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
        Objects.requireNonNull(connection, "connection");
        if (options.errorPolicy().deadLetters() && NatsOptions.of(options).deadLetters().isEmpty()) {
            throw new IllegalArgumentException("The error policy of " + interfaceName + " dead-letters failed messages,"
                    + " but no dead-letter destination is configured; give NatsOptions.builder().deadLetters("
                    + "NatsDeadLetters.toStream(...))");
        }
        NatsDispatcher bound = new NatsDispatcher(interfaceName, group, options, telemetry, specs, propagation,
                NatsPublisher.endpoint(connection));
        if (bound.batchRoutes.isEmpty()) {
            return NatsSubscription.start(connection, bound);
        }
        List<Subscription> parts = new ArrayList<>();
        try {
            if (!bound.routes.isEmpty()) {
                parts.add(NatsSubscription.start(connection, bound));
            }
            for (Route<?> route : bound.batchRoutes) {
                parts.add(NatsBatchConsumer.start(connection, bound, route));
            }
        } catch (RuntimeException e) {
            parts.forEach(Subscription::close);
            throw e;
        }
        return new CompositeSubscription(interfaceName + " on NATS", parts);
    }

    /**
     * Handles one message that the caller's own subscription received: runs the method of the
     * subscribed subject it matches inside a process span, publishes a responder's reply, and
     * rethrows what the method threw after recording it: as {@code declared} when it is one,
     * unchecked exceptions and errors as they are. JetStream messages are not acknowledged here;
     * that stays the caller's. A method whose subject is the message's exact subject wins over
     * wildcard subjects, which are tried in declaration order.
     *
     * @throws IllegalArgumentException when no method's subject matches the message's
     */
    public <X extends Exception> void handle(Message message, Class<X> declared) throws X {
        Route<?> route = routeOf(message.getSubject());
        if (route == null) {
            throw new IllegalArgumentException(interfaceName + " has no method for subject '" + message.getSubject()
                    + "'; its subjects are " + routes.stream().map(r -> r.subject).toList());
        }
        ProcessFailure failure = process(route, message);
        if (failure == null) {
            return;
        }
        if (failure.cause() instanceof Error error) {
            throw error;
        }
        throw Declared.rethrow((Exception) failure.cause(), declared);
    }

    /** {@link #handle(Message, Class)} rethrowing any exception. */
    public void handle(Message message) throws Exception {
        handle(message, Exception.class);
    }

    /** The context a message carries in its headers, as its route's process lifecycle reads it. */
    Context carried(Route<?> route, Message message) {
        return route.operation.contexts().extract(message);
    }

    /** Telemetry for what this dispatcher publishes besides replies: dead letters. */
    Telemetry telemetry() {
        return telemetry;
    }

    private Route<?> routeOf(String subject) {
        Route<?> route = literalRoutes.get(subject);
        if (route != null) {
            return route;
        }
        for (Route<?> wildcard : wildcardRoutes) {
            if (wildcard.pattern.matches(subject)) {
                return wildcard;
            }
        }
        return null;
    }

    /**
     * Runs {@code route}'s method for {@code message} inside its process span; replies if it is a
     * responder. A context field a header-less peer put in a JSON payload is always taken out before
     * decoding (an envelope's data is what is decoded); it is the parent only when the headers carry
     * no valid context.
     *
     * @return {@code null} when the method returned, else what failed
     */
    <T> ProcessFailure process(Route<T> route, Message message) {
        byte[] data = message.getData() == null ? EMPTY : message.getData();
        Optional<PayloadCarrier.Extracted> extracted = payloadCarrier.extract(data);
        Map<String, String> payloadContext = null;
        if (extracted.isPresent()) {
            data = extracted.get().payload();
            payloadContext = extracted.get().context().orElse(null);
        }
        ProcessOperation<Message> operation = route.operation;
        return operation.process(message, operation.contexts().carried(message, payloadContext, MAP_GETTER), data,
                route.body);
    }

    /**
     * The payload of a message for a batch method, decoded as {@link #process} decodes it for a
     * method of one message (a payload context field taken out first).
     *
     * @throws UndecodablePayloadException when its codec cannot decode it
     */
    <T> T decode(Route<T> route, Message message) {
        byte[] data = message.getData() == null ? EMPTY : message.getData();
        Optional<PayloadCarrier.Extracted> extracted = payloadCarrier.extract(data);
        if (extracted.isPresent()) {
            data = extracted.get().payload();
        }
        try {
            return route.codec.decode(data);
        } catch (RuntimeException e) {
            throw new UndecodablePayloadException(message.getSubject(), e);
        }
    }

    /**
     * Runs a batch method with the decoded {@code payloads} of {@code messages} inside one process
     * span linked to each message's header context.
     *
     * @return {@code null} when the method returned, else what failed
     */
    <T> ProcessFailure processBatch(Route<T> route, List<Message> messages, List<T> payloads) {
        return route.operation.processBatch(messages, payloads, route.batchBody);
    }

    /**
     * Decodes the payload, runs the route's method and publishes a responder's reply. A codec that
     * fails makes an {@link UndecodablePayloadException}, which error policies do not retry.
     */
    private <T> void invoke(Route<T> route, Message message, byte[] data) throws Exception {
        T payload;
        try {
            payload = route.codec == null ? null : route.codec.decode(data);
        } catch (RuntimeException e) {
            throw new UndecodablePayloadException(message.getSubject(), e);
        }
        Object reply = route.handler.respond(payload, message);
        if (route.replyCodec != null) {
            reply(route, message, reply);
        }
    }

    /** Publishes the encoded reply, carrying the process span's context. */
    @SuppressWarnings("unchecked") // the route's reply codec is of the type its handler returns
    private void reply(Route<?> route, Message request, Object reply) {
        String replyTo = request.getReplyTo();
        if (replyTo == null || replyTo.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: " + interfaceName + " answered a message on "
                    + request.getSubject() + " that has no reply subject; the answer is dropped");
            return;
        }
        Headers headers = new Headers();
        route.operation.contexts().injectCurrent(headers, NatsHeaders::put);
        byte[] body = ((Codec<Object>) route.replyCodec).encode(reply);
        request.getConnection().publish(replyTo, headers.isEmpty() ? null : headers, body);
    }

    /** One subscription as the generated code declared it, before it is bound to a dispatcher. */
    private record RouteSpec<T>(String subject, String stream, Codec<T> codec, Codec<?> replyCodec,
            Responder<T, ?> handler, Function<Message, Attributes> attributes, BatchMessageHandler<T> batch) {

        Route<T> bind(NatsDispatcher dispatcher, Endpoint endpoint) {
            return new Route<>(this, dispatcher, endpoint);
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
        final ProcessOperation<Message> operation;
        final ProcessOperation.Body<Message, byte[]> body;
        /** A batch method, or {@code null}; its messages come from a pull consumer, fetched in batches. */
        final BatchMessageHandler<T> batch;
        final ProcessOperation.Body<List<Message>, List<T>> batchBody;

        Route(RouteSpec<T> spec, NatsDispatcher dispatcher, Endpoint endpoint) {
            this.subject = spec.subject();
            this.pattern = SubjectPattern.compile(subject);
            this.stream = spec.stream();
            this.codec = spec.codec();
            this.replyCodec = spec.replyCodec();
            this.handler = spec.handler();
            this.operation = new ProcessOperation<>(dispatcher.telemetry, NatsAdapters.SYSTEM, subject,
                    pattern.isWildcard(), dispatcher.group, endpoint,
                    new NatsAdapters.Process(pattern.isWildcard(), dispatcher.options.captureBodySize()),
                    spec.attributes(), dispatcher.propagation.getOrDefault(subject, Propagation.PROPAGATE));
            if (JavaAgent.instruments(NatsOptions.of(dispatcher.options).agentInstrumentation(),
                    NatsPublisher.AGENT_INSTRUMENTATION_NAMES)) {
                operation.adoptInstrumentedSpans();
            }
            this.body = (message, data) -> dispatcher.invoke(this, message, data);
            this.batch = spec.batch();
            this.batchBody = batch == null ? null : (messages, payloads) -> batch.handle(payloads, messages);
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
        private final NatsOptions natsOptions;
        private final List<RouteSpec<?>> specs = new ArrayList<>();
        private final Map<String, Propagation> propagation = new HashMap<>();

        private Builder(String interfaceName, String group, TracewireOptions options) {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            this.group = Objects.requireNonNull(group, "group");
            this.options = Objects.requireNonNull(options, "options");
            this.natsOptions = NatsOptions.of(options);
        }

        /** Core NATS: messages of {@code subject} (wildcards allowed) go to {@code handler}. */
        public <T> Builder route(String subject, Class<T> payloadType, MessageHandler<T> handler) {
            return route(subject, payloadType, handler, null);
        }

        /**
         * As {@link #route(String, Class, MessageHandler)}; the process spans start with the
         * attributes {@code attributes} takes from each message ({@code @SpanAttribute} parameters).
         */
        public <T> Builder route(String subject, Class<T> payloadType, MessageHandler<T> handler,
                Function<Message, Attributes> attributes) {
            return add(new RouteSpec<>(subject, null, codec(payloadType), null, returningNothing(handler),
                    attributes, null));
        }

        /** A responder: what {@code handler} returns is published, encoded, to the message's reply subject. */
        public <T, R> Builder respond(String subject, Class<T> payloadType, Class<R> replyType,
                Responder<T, R> responder) {
            return respond(subject, payloadType, replyType, responder, null);
        }

        /** As {@link #respond(String, Class, Class, Responder)}, with span attributes from each message. */
        public <T, R> Builder respond(String subject, Class<T> payloadType, Class<R> replyType,
                Responder<T, R> responder, Function<Message, Attributes> attributes) {
            return add(new RouteSpec<>(subject, null, codec(payloadType), natsOptions.codecFor(replyType),
                    Objects.requireNonNull(responder, "responder"), attributes, null));
        }

        /** JetStream: a durable consumer of {@code stream} for {@code subject}, acknowledged after the handler. */
        public <T> Builder routeStream(String subject, String stream, Class<T> payloadType, MessageHandler<T> handler) {
            return routeStream(subject, stream, payloadType, handler, null);
        }

        /** As {@link #routeStream(String, String, Class, MessageHandler)}, with span attributes from each message. */
        public <T> Builder routeStream(String subject, String stream, Class<T> payloadType, MessageHandler<T> handler,
                Function<Message, Attributes> attributes) {
            return add(new RouteSpec<>(subject, stream, codec(payloadType), null, returningNothing(handler),
                    attributes, null));
        }

        /**
         * JetStream, in batches: a durable pull consumer of {@code stream} for {@code subject}, from
         * which a thread of its own fetches up to {@link NatsOptions#batchSize()} messages at a time
         * for {@code handler}, acknowledging them after it returned. A message of the user's own
         * subscription passed to {@code handle} is a batch of one, in its own process span.
         */
        public <T> Builder routeStreamBatch(String subject, String stream, Class<T> payloadType,
                BatchMessageHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return add(new RouteSpec<>(subject, stream, codec(Objects.requireNonNull(payloadType, "payloadType")),
                    null, returningNothing((payload, message) -> handler.handle(Collections.singletonList(payload), List.of(message))),
                    null, handler));
        }

        private static <T> Responder<T, Object> returningNothing(MessageHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            return (payload, message) -> {
                handler.handle(payload, message);
                return null;
            };
        }

        /**
         * The propagation policy of the method subscribed to {@code subject} (by default
         * {@link Propagation#PROPAGATE}): {@link Propagation#NONE} reads no context from its
         * messages and sends none in replies; {@link Propagation#HEADERS_ONLY} runs it in the
         * context the message carries, without a span.
         */
        public Builder propagation(String subject, Propagation policy) {
            propagation.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        private <T> Codec<T> codec(Class<T> payloadType) {
            return payloadType == null ? null : natsOptions.codecFor(payloadType);
        }

        private Builder add(RouteSpec<?> spec) {
            specs.add(spec);
            return this;
        }

        public NatsDispatcher build() {
            return new NatsDispatcher(interfaceName, group, options, Telemetry.of(options), List.copyOf(specs),
                    Map.copyOf(propagation), Endpoint.UNKNOWN);
        }
    }
}
