package dev.tracewire.runtime.kafka;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CLIENT_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CONSUMER_GROUP_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_PARTITION_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_KEY;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_TOMBSTONE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_OFFSET;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.OPERATION_TYPE_PROCESS;
import static dev.tracewire.runtime.internal.MessagingAttributes.SYSTEM_KAFKA;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.Declared;
import dev.tracewire.runtime.internal.PartitionIds;
import dev.tracewire.runtime.internal.Tracing;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.header.Headers;

/**
 * Routes each record of a generated Kafka consumer to the method of its topic and runs that
 * method inside a CONSUMER span {@code process <topic>}, the child of the context extracted from
 * the record's headers. Called by generated code.
 *
 * @param <K> the consumer's key type
 * @param <V> the consumer's value type
 */
public final class KafkaDispatcher<K, V> {

    private static final System.Logger LOG = System.getLogger(KafkaDispatcher.class.getName());
    private static final String OPERATION_NAME = "process";

    private final String declaredGroup;
    private final String interfaceName;
    private final TracewireOptions options;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    /** False when the {@code OpenTelemetry} is a no-op one: records then go straight to their method. */
    private final boolean tracing;
    private final Map<String, RecordHandler<K, V>> handlers;
    private final Map<String, Route<K, V>> routes;

    private KafkaDispatcher(Builder<K, V> builder, String group, String clientId) {
        this.declaredGroup = builder.group;
        this.interfaceName = builder.interfaceName;
        this.options = builder.options;
        this.tracer = Tracing.tracer(options.openTelemetry());
        this.propagator = options.openTelemetry().getPropagators().getTextMapPropagator();
        this.tracing = !Tracing.isNoop(options.openTelemetry());
        this.handlers = builder.handlers;
        Map<String, Route<K, V>> routes = new HashMap<>();
        builder.handlers.forEach((topic, handler) -> routes.put(topic, new Route<>(topic, group, clientId, handler)));
        this.routes = routes;
    }

    /**
     * Starts building the dispatcher of a consumer interface.
     *
     * @param interfaceName the consumer interface, for messages
     * @param group the group declared on the interface, or empty to take the consumer's
     */
    public static <K, V> Builder<K, V> builder(String interfaceName, String group, TracewireOptions options) {
        return new Builder<>(interfaceName, group, options);
    }

    /** The topics this dispatcher has methods for, in declaration order. */
    public Set<String> topics() {
        return Collections.unmodifiableSet(handlers.keySet());
    }

    /**
     * Handles one record that the caller's own loop polled: runs the method of its topic inside a
     * process span and rethrows whatever the method threw, after recording it on the span.
     *
     * @throws IllegalArgumentException when no method handles the record's topic
     */
    public <X extends Exception> void handle(ConsumerRecord<? extends K, ? extends V> record, Class<X> declared)
            throws X {
        try {
            handle(record);
        } catch (Exception failure) {
            throw Declared.rethrow(failure, declared);
        }
    }

    /** {@link #handle(ConsumerRecord, Class)} rethrowing anything. */
    public void handle(ConsumerRecord<? extends K, ? extends V> record) throws Exception {
        Route<K, V> route = routes.get(record.topic());
        if (route == null) {
            throw new IllegalArgumentException(interfaceName + " has no method for topic '" + record.topic()
                    + "'; its topics are " + topics());
        }
        process(route, readOnly(record));
    }

    /**
     * Subscribes {@code consumer} to this dispatcher's topics and runs a poll loop on a thread of
     * its own. The subscription owns the consumer from now on and closes it when it stops.
     *
     * @throws IllegalArgumentException when the consumer's {@code group.id} is not the one the
     *     interface declares, or it has none
     */
    public Subscription start(Consumer<? extends K, ? extends V> consumer) {
        Objects.requireNonNull(consumer, "consumer");
        String group = consumerGroup(consumer);
        KafkaDispatcher<K, V> bound = new KafkaDispatcher<>(
                new Builder<>(interfaceName, declaredGroup, options, handlers), group,
                KafkaClients.clientId(consumer.metrics()));
        return KafkaPollLoop.start(readOnly(consumer), bound, interfaceName, options);
    }

    /*
     * A dispatcher only reads keys and values out of records, so a consumer or record of
     * narrower key and value types serves where the dispatcher's own (possibly Object) are
     * declared.
     */
    @SuppressWarnings("unchecked")
    private static <K, V> Consumer<K, V> readOnly(Consumer<? extends K, ? extends V> consumer) {
        return (Consumer<K, V>) consumer;
    }

    @SuppressWarnings("unchecked")
    private static <K, V> ConsumerRecord<K, V> readOnly(ConsumerRecord<? extends K, ? extends V> record) {
        return (ConsumerRecord<K, V>) record;
    }

    private String consumerGroup(Consumer<?, ?> consumer) {
        String actual;
        try {
            actual = consumer.groupMetadata().groupId();
        } catch (InvalidGroupIdException e) {
            actual = null;
        }
        if (actual == null || actual.isEmpty()) {
            throw new IllegalArgumentException("The consumer for " + interfaceName + " has no group.id; set "
                    + "ConsumerConfig.GROUP_ID_CONFIG to "
                    + (declaredGroup.isEmpty() ? "the group it belongs to" : "\"" + declaredGroup + "\""));
        }
        if (!declaredGroup.isEmpty() && !declaredGroup.equals(actual)) {
            throw new IllegalArgumentException("The consumer for " + interfaceName + " has group.id \"" + actual
                    + "\" but the interface declares @TracedConsumer(group = \"" + declaredGroup
                    + "\"); configure the consumer with group.id \"" + declaredGroup + "\"");
        }
        return actual;
    }

    /** Dispatches a record of a subscribed topic; the poll loop's entry point. */
    void dispatch(ConsumerRecord<K, V> record) throws Exception {
        Route<K, V> route = routes.get(record.topic());
        if (route == null) {
            throw new IllegalStateException("no method for topic '" + record.topic() + "'");
        }
        process(route, record);
    }

    private void process(Route<K, V> route, ConsumerRecord<K, V> record) throws Exception {
        if (!tracing) {
            route.handler.handle(record);
            return;
        }
        Context parent = extract(record.headers());
        SpanBuilder builder = tracer.spanBuilder(route.spanName)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAllAttributes(route.startAttributes)
                .setAttribute(MESSAGING_DESTINATION_PARTITION_ID, PartitionIds.of(record.partition()))
                .setAttribute(MESSAGING_KAFKA_OFFSET, record.offset());
        K key = record.key();
        if (key != null && options.captureMessageKey()) {
            builder.setAttribute(MESSAGING_KAFKA_MESSAGE_KEY, Tracing.keyString(key));
        }
        if (record.value() == null) {
            builder.setAttribute(MESSAGING_KAFKA_MESSAGE_TOMBSTONE, true);
        }
        if (options.captureBodySize() && record.serializedValueSize() >= 0) {
            builder.setAttribute(MESSAGING_MESSAGE_BODY_SIZE, (long) record.serializedValueSize());
        }
        Span span = builder.startSpan();
        Scope scope = parent.with(span).makeCurrent();
        try {
            route.handler.handle(record);
        } catch (Throwable failure) {
            Tracing.fail(span, failure);
            throw failure;
        } finally {
            scope.close();
            span.end();
        }
    }

    /**
     * The context the record carries, or the root context when it carries none or a malformed
     * one (the record then starts a new trace). A failing propagator never fails the record.
     */
    private Context extract(Headers headers) {
        try {
            return propagator.extract(Context.root(), headers, KafkaHeaders.GETTER);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: could not extract the trace context of a record; "
                    + "it is processed in a new trace", e);
            return Context.root();
        }
    }

    /** Everything about one topic that does not change from record to record. */
    private static final class Route<K, V> {
        final String spanName;
        final Attributes startAttributes;
        final RecordHandler<K, V> handler;

        Route(String topic, String group, String clientId, RecordHandler<K, V> handler) {
            this.spanName = OPERATION_NAME + " " + topic;
            AttributesBuilder attributes = Attributes.builder()
                    .put(MESSAGING_SYSTEM, SYSTEM_KAFKA)
                    .put(MESSAGING_DESTINATION_NAME, topic)
                    .put(MESSAGING_OPERATION_TYPE, OPERATION_TYPE_PROCESS)
                    .put(MESSAGING_OPERATION_NAME, OPERATION_NAME);
            if (group != null && !group.isEmpty()) {
                attributes.put(MESSAGING_CONSUMER_GROUP_NAME, group);
            }
            if (clientId != null) {
                attributes.put(MESSAGING_CLIENT_ID, clientId);
            }
            this.startAttributes = attributes.build();
            this.handler = handler;
        }
    }

    /**
     * Collects the method of each topic. Called by generated code.
     *
     * @param <K> the consumer's key type
     * @param <V> the consumer's value type
     */
    public static final class Builder<K, V> {
        private final String interfaceName;
        private final String group;
        private final TracewireOptions options;
        private final Map<String, RecordHandler<K, V>> handlers;

        private Builder(String interfaceName, String group, TracewireOptions options) {
            this(interfaceName, group, options, new LinkedHashMap<>());
        }

        private Builder(String interfaceName, String group, TracewireOptions options,
                Map<String, RecordHandler<K, V>> handlers) {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            this.group = Objects.requireNonNull(group, "group");
            this.options = Objects.requireNonNull(options, "options");
            this.handlers = handlers;
        }

        /** Routes the records of {@code topic} to {@code handler}. */
        public Builder<K, V> route(String topic, RecordHandler<K, V> handler) {
            if (handlers.putIfAbsent(topic, Objects.requireNonNull(handler, "handler")) != null) {
                throw new IllegalArgumentException("topic '" + topic + "' is routed twice");
            }
            return this;
        }

        public KafkaDispatcher<K, V> build() {
            Builder<K, V> frozen = new Builder<>(interfaceName, group, options,
                    Collections.unmodifiableMap(new LinkedHashMap<>(handlers)));
            return new KafkaDispatcher<>(frozen, group, null);
        }
    }
}
