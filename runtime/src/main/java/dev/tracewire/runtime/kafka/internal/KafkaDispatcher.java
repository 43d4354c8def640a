package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.Declared;
import dev.tracewire.runtime.internal.Endpoint;
import dev.tracewire.runtime.internal.JavaAgent;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.internal.ConsumerPropagation;
import dev.tracewire.runtime.internal.ProcessOperation;
import dev.tracewire.runtime.internal.Propagation;
import dev.tracewire.runtime.internal.Telemetry;
import dev.tracewire.runtime.kafka.KafkaOptions;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Routes each record of a generated Kafka consumer to the method of its topic and runs it through
 * the shared process lifecycle: inside a CONSUMER span {@code process <topic>}, the child of the
 * context the record's headers carry or, for header-less peers, the one its value's context field
 * carried (which a {@code KafkaPayloadCarrier} deserializer handed over), as the method's
 * propagation policy says.
 *
 * @param <K> the consumer's key type
 * @param <V> the consumer's value type
 */
public final class KafkaDispatcher<K, V> {

    private final String declaredGroup;
    private final String interfaceName;
    private final TracewireOptions options;
    private final Telemetry telemetry;
    private final Map<String, RecordHandler<K, V>> handlers;
    /** The span attributes of the methods that take some from their records, by topic. */
    private final Map<String, Function<ConsumerRecord<K, V>, Attributes>> attributes;
    /** The methods that take the records of a poll as one batch, by topic. */
    private final Map<String, BatchHandler<K, V>> batches;
    /** The propagation policy of each topic whose method does not propagate. */
    private final Map<String, Propagation> propagation;
    private final Map<String, Route<K, V>> routes;
    private static final ProcessOperation.Body<Object, RuntimeException> FAIL = (record, failure) -> {
        throw failure;
    };

    private final ProcessOperation.Body<ConsumerRecord<K, V>, RecordHandler<K, V>> run =
            (record, handler) -> handler.handle(record);

    private final ProcessOperation.Body<List<ConsumerRecord<K, V>>, BatchHandler<K, V>> runBatch =
            (records, handler) -> handler.handle(records);

    private KafkaDispatcher(String interfaceName, String declaredGroup, TracewireOptions options,
            Telemetry telemetry, Map<String, RecordHandler<K, V>> handlers,
            Map<String, Function<ConsumerRecord<K, V>, Attributes>> attributes, Map<String, BatchHandler<K, V>> batches,
            Map<String, Propagation> propagation, String group, Endpoint endpoint) {
        this.declaredGroup = declaredGroup;
        this.interfaceName = interfaceName;
        this.options = options;
        this.telemetry = telemetry;
        this.handlers = handlers;
        this.attributes = attributes;
        this.batches = batches;
        this.propagation = propagation;
        KafkaAdapters.Process adapter = new KafkaAdapters.Process(KafkaOptions.of(options).captureMessageKey(),
                options.captureBodySize());
        // Beside OpenTelemetry's Java agent, a loop of the user's own that iterates polled records runs
        // handle() inside the agent's process span for the record: that span is the record's only one.
        // (Tracewire's poll loop switches those spans off, so its records get tracewire's own.)
        boolean adoptAgentSpans = JavaAgent.instruments(KafkaOptions.of(options).agentInstrumentation(),
                KafkaAgent.INSTRUMENTATION_NAMES);
        Map<String, Route<K, V>> routes = new HashMap<>();
        handlers.forEach((topic, handler) -> {
            ProcessOperation<ConsumerRecord<?, ?>> operation = new ProcessOperation<>(telemetry, KafkaAdapters.SYSTEM,
                    topic, false, group, endpoint, adapter, anyRecord(attributes.get(topic)),
                    propagation.getOrDefault(topic, Propagation.PROPAGATE));
            if (adoptAgentSpans) {
                operation.adoptInstrumentedSpans();
            }
            routes.put(topic, new Route<>(operation, handler, batches.get(topic)));
        });
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
     * process span and rethrows what the method threw, after recording it on the span: as
     * {@code declared} when it is one, unchecked exceptions and errors as they are.
     *
     * @throws IllegalArgumentException when no method handles the record's topic
     */
    public <X extends Exception> void handle(ConsumerRecord<? extends K, ? extends V> record, Class<X> declared)
            throws X {
        ProcessFailure failure = dispatch(route(record, IllegalArgumentException::new), readOnly(record));
        if (failure == null) {
            return;
        }
        if (failure.cause() instanceof Error error) {
            throw error;
        }
        throw Declared.rethrow((Exception) failure.cause(), declared);
    }

    /** {@link #handle(ConsumerRecord, Class)} rethrowing any exception. */
    public void handle(ConsumerRecord<? extends K, ? extends V> record) throws Exception {
        handle(record, Exception.class);
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
        if (options.errorPolicy().deadLetters() && KafkaOptions.of(options).deadLetters().isEmpty()) {
            throw new IllegalArgumentException("The error policy of " + interfaceName + " dead-letters failed records,"
                    + " but no dead-letter producer is configured; give KafkaOptions.builder().deadLetters("
                    + "KafkaDeadLetters.to(producer))");
        }
        KafkaDispatcher<K, V> bound = new KafkaDispatcher<>(interfaceName, declaredGroup, options, telemetry,
                handlers, attributes, batches, propagation, group, KafkaClients.endpoint(consumer, consumer.metrics()));
        KafkaDeadLetterPublisher deadLetters = KafkaOptions.of(options).deadLetters()
                .map(config -> new KafkaDeadLetterPublisher(config, telemetry,
                        KafkaOptions.of(options).captureMessageKey(), group,
                        KafkaOptions.of(options).agentInstrumentation()))
                .orElse(null);
        return KafkaPollLoop.start(readOnly(consumer), bound, interfaceName, options, deadLetters);
    }

    /** Whether the method of {@code topic} takes the records of a poll as one batch. */
    boolean takesBatches(String topic) {
        return batches.containsKey(topic);
    }

    /**
     * Runs the batch method of {@code topic} with {@code records} (of that topic, in the order they
     * were polled) inside one process span linked to each record's context; the poll loop's entry
     * point for batch methods. Null when the method returned.
     */
    ProcessFailure dispatchBatch(String topic, List<ConsumerRecord<K, V>> records) {
        Route<K, V> route = routes.get(topic);
        return route.operation.processBatch(records, route.batch, runBatch);
    }

    /** Runs a record of a subscribed topic; the poll loop's entry point. Null when its method returned. */
    ProcessFailure dispatch(ConsumerRecord<K, V> record) {
        return dispatch(route(record, IllegalStateException::new), record);
    }

    /**
     * Runs a record the consumer could not deserialize through its topic's process lifecycle, as a
     * failure: a process span continuing the record's header context, failed by the exception.
     *
     * @param raw the record as it was read ({@link #raw}), in place of the one that could not be made
     */
    ProcessFailure poison(ConsumerRecord<Object, Object> raw, RecordDeserializationException poison) {
        Route<K, V> route = routes.get(raw.topic());
        if (route == null) {
            return new ProcessFailure(poison, SpanContext.getInvalid());
        }
        return route.operation.process(raw, carried(route.operation, raw), poison, FAIL);
    }

    /** The context a record carries, as its topic's process lifecycle reads it. */
    Context carried(ConsumerRecord<?, ?> record) {
        Route<K, V> route = routes.get(record.topic());
        return route == null ? Context.root() : carried(route.operation, record).context();
    }

    /** What the record's headers carry, else what its value's context field carried. */
    private static ConsumerPropagation.Carried carried(ProcessOperation<ConsumerRecord<?, ?>> operation,
            ConsumerRecord<?, ?> record) {
        return operation.contexts().carriedGathering(record, PayloadContextHeaders::of, PayloadContextHeaders.GETTER);
    }

    /** A record that could not be deserialized, as it was read: raw key and value bytes, headers and coordinates. */
    static ConsumerRecord<Object, Object> raw(RecordDeserializationException poison) {
        TopicPartition partition = poison.topicPartition();
        byte[] key = bytes(poison.keyBuffer());
        byte[] value = bytes(poison.valueBuffer());
        return new ConsumerRecord<>(partition.topic(), partition.partition(), poison.offset(), poison.timestamp(),
                poison.timestampType(), key == null ? -1 : key.length, value == null ? -1 : value.length, key, value,
                poison.headers() == null ? new RecordHeaders() : poison.headers(), Optional.empty());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private ProcessFailure dispatch(Route<K, V> route, ConsumerRecord<K, V> record) {
        return route.operation.process(record, carried(route.operation, record), route.handler, run);
    }

    private Route<K, V> route(ConsumerRecord<? extends K, ? extends V> record,
            Function<String, RuntimeException> noRoute) {
        Route<K, V> route = routes.get(record.topic());
        if (route == null) {
            throw noRoute.apply(interfaceName + " has no method for topic '" + record.topic() + "'; its topics are "
                    + topics());
        }
        return route;
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

    /*
     * A topic's lifecycle serves every record of it, a raw one that could not be deserialized too;
     * the function then fails on its bytes and the lifecycle records the span without its attributes.
     */
    @SuppressWarnings("unchecked")
    private static <K, V> Function<ConsumerRecord<?, ?>, Attributes> anyRecord(
            Function<ConsumerRecord<K, V>, Attributes> attributes) {
        return (Function<ConsumerRecord<?, ?>, Attributes>) (Function<?, ?>) attributes;
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

    /**
     * The lifecycle of one topic, built once, and the method that handles its records: one record at
     * a time, or, for a batch method, the records of a poll ({@code batch}, else {@code null}).
     */
    private record Route<K, V>(ProcessOperation<ConsumerRecord<?, ?>> operation, RecordHandler<K, V> handler,
            BatchHandler<K, V> batch) {
    }

    /** Collects the method of each topic. Called by generated code. */
    public static final class Builder<K, V> {
        private final String interfaceName;
        private final String group;
        private final TracewireOptions options;
        private final Map<String, RecordHandler<K, V>> handlers = new LinkedHashMap<>();
        private final Map<String, Function<ConsumerRecord<K, V>, Attributes>> attributes = new HashMap<>();
        private final Map<String, BatchHandler<K, V>> batches = new HashMap<>();
        private final Map<String, Propagation> propagation = new HashMap<>();

        private Builder(String interfaceName, String group, TracewireOptions options) {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            this.group = Objects.requireNonNull(group, "group");
            this.options = Objects.requireNonNull(options, "options");
        }

        /** Routes the records of {@code topic} to {@code handler}. */
        public Builder<K, V> route(String topic, RecordHandler<K, V> handler) {
            if (handlers.putIfAbsent(topic, Objects.requireNonNull(handler, "handler")) != null) {
                throw new IllegalArgumentException("topic '" + topic + "' is routed twice");
            }
            return this;
        }

        /**
         * Routes the records of {@code topic} to {@code handler}; their process spans start with the
         * attributes {@code attributes} takes from each record ({@code @SpanAttribute} parameters).
         */
        public Builder<K, V> route(String topic, RecordHandler<K, V> handler,
                Function<ConsumerRecord<K, V>, Attributes> attributes) {
            route(topic, handler);
            this.attributes.put(topic, Objects.requireNonNull(attributes, "attributes"));
            return this;
        }

        /**
         * Routes the records of {@code topic} to a batch method: the poll loop hands it the records of
         * that topic each poll returned (at most the consumer's {@code max.poll.records}), in one
         * process span; a record that the user's own loop passes to {@code handle} is a batch of one,
         * in its own process span.
         */
        public Builder<K, V> routeBatch(String topic, BatchHandler<K, V> handler) {
            Objects.requireNonNull(handler, "handler");
            route(topic, record -> handler.handle(List.of(record)));
            batches.put(topic, handler);
            return this;
        }

        /**
         * The propagation policy of the method of {@code topic} (by default
         * {@link Propagation#PROPAGATE}): {@link Propagation#NONE} reads no context from its records;
         * {@link Propagation#HEADERS_ONLY} runs it in the context a record carries, without a span.
         */
        public Builder<K, V> propagation(String topic, Propagation policy) {
            propagation.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        public KafkaDispatcher<K, V> build() {
            return new KafkaDispatcher<>(interfaceName, group, options, Telemetry.of(options),
                    Collections.unmodifiableMap(new LinkedHashMap<>(handlers)), Map.copyOf(attributes),
                    Map.copyOf(batches), Map.copyOf(propagation), group, Endpoint.UNKNOWN);
        }
    }
}
