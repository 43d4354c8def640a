package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.AgentInstrumentation;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.DeadLetterFacts;
import dev.tracewire.runtime.internal.Endpoint;
import dev.tracewire.runtime.internal.Instruments;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.internal.SendOperation;
import dev.tracewire.runtime.internal.Telemetry;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Publishes a failed record to its dead-letter topic and waits for the acknowledgement, inside a
 * PRODUCER span that is a child of the record's last failed process span and links to the
 * context the record carried. The dead letter keeps the record's key and value bytes and its
 * headers (but those through which a {@code KafkaPayloadCarrier} deserializer handed over the
 * value's context), and adds the failure under the header names of Spring Kafka's
 * {@code DeadLetterPublishingRecoverer}, which most Kafka tooling reads; the trace context it
 * carries is the dead-letter span's, in the same trace. Where OpenTelemetry's Java agent
 * instruments the dead-letter producer, that span is the agent's (still the failed process span's
 * child, without the link).
 */
final class KafkaDeadLetterPublisher {

    static final String EXCEPTION_FQCN = "kafka_dlt-exception-fqcn";
    static final String EXCEPTION_CAUSE_FQCN = "kafka_dlt-exception-cause-fqcn";
    static final String EXCEPTION_MESSAGE = "kafka_dlt-exception-message";
    static final String EXCEPTION_STACKTRACE = "kafka_dlt-exception-stacktrace";
    static final String ORIGINAL_TOPIC = "kafka_dlt-original-topic";
    static final String ORIGINAL_PARTITION = "kafka_dlt-original-partition";
    static final String ORIGINAL_OFFSET = "kafka_dlt-original-offset";
    static final String ORIGINAL_TIMESTAMP = "kafka_dlt-original-timestamp";
    static final String ORIGINAL_TIMESTAMP_TYPE = "kafka_dlt-original-timestamp-type";
    static final String ORIGINAL_CONSUMER_GROUP = "kafka_dlt-original-consumer-group";
    static final String ATTEMPTS = "retry_topic-attempts";

    private final KafkaDeadLetters config;
    private final Telemetry telemetry;
    /**
     * Whether OpenTelemetry's Java agent makes the dead letter's PRODUCER span (a child of the current
     * context when the producer sends): then tracewire's is off, and the failed process span is
     * current while the producer sends, so the agent's span is its child.
     */
    private final boolean agentSends;
    private final Endpoint endpoint;
    private final KafkaAdapters.Send adapter;
    private final String group;
    /** The send operation of each dead-letter topic; touched by the poll loop's thread only. */
    private final Map<String, SendOperation<ProducerRecord<?, ?>, RecordMetadata>> operations = new HashMap<>();

    KafkaDeadLetterPublisher(KafkaDeadLetters config, Telemetry telemetry, boolean captureKey, String group,
            AgentInstrumentation agentInstrumentation) {
        this.config = config;
        this.agentSends = KafkaAgent.instruments(config.producer(), agentInstrumentation);
        this.telemetry = agentSends ? Telemetry.of(TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build())
                : telemetry;
        this.endpoint = KafkaClients.endpoint(config.producer(), config.producer().metrics());
        this.adapter = new KafkaAdapters.Send(captureKey);
        this.group = group;
    }

    /**
     * Publishes {@code record} as a dead letter and waits for the broker's acknowledgement.
     *
     * @param original the context the record carried, which the dead-letter span links to
     * @return {@code null} once acknowledged, else why it could not be published
     */
    Throwable publish(ConsumerRecord<?, ?> record, ProcessFailure failure, int attempts, Context original) {
        String topic = config.topicFor(record.topic());
        SendOperation<ProducerRecord<?, ?>, RecordMetadata> operation = operations.computeIfAbsent(topic,
                name -> new SendOperation<>(telemetry, KafkaAdapters.SYSTEM, "send", name, endpoint, adapter));
        ProducerRecord<byte[], byte[]> deadLetter;
        try {
            Headers headers = new RecordHeaders();
            for (Header header : record.headers()) {
                if (!PayloadContextHeaders.isOne(header.key())) {
                    headers.add(header);
                }
            }
            deadLetter = new ProducerRecord<>(topic, null, bytes(config.keySerializer(), topic, headers, record.key(),
                    "key"), bytes(config.valueSerializer(), topic, headers, record.value(), "value"), headers);
        } catch (RuntimeException e) {
            return e;
        }
        addFacts(deadLetter.headers(), record, DeadLetterFacts.of(failure.cause(), attempts, group));
        Context parent = Context.root().with(Span.wrap(failure.span()));
        SpanContext link = Span.fromContext(original).getSpanContext();
        Instruments instruments = operation.instruments();
        long startNanos = operation.clock(instruments);
        KafkaSendCallbacks.Future sent = KafkaSendCallbacks.future(operation,
                operation.start(instruments, parent, deadLetter, link, null), parent, startNanos);
        Scope scope = agentSends ? parent.makeCurrent() : Scope.noop();
        try {
            config.producer().send(deadLetter, sent);
        } catch (RuntimeException e) {
            sent.finish(null, e);
        } finally {
            scope.close();
        }
        try {
            sent.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            sent.finish(null, e);
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e;
        }
    }

    /** The bytes of a key or value: as they are, or serialized again. */
    @SuppressWarnings("unchecked") // the serializer was configured for the consumer's type of this part
    private static byte[] bytes(Serializer<?> serializer, String topic, Headers headers, Object part, String which) {
        if (part == null || part instanceof byte[]) {
            return (byte[]) part;
        }
        if (serializer == null) {
            throw new IllegalStateException("cannot dead-letter a record whose " + which + " is a "
                    + part.getClass().getName() + " without its bytes: give KafkaDeadLetters.serializers(...) the"
                    + " serializers that match the consumer's deserializers");
        }
        return ((Serializer<Object>) serializer).serialize(topic, headers, part);
    }

    private static void addFacts(Headers headers, ConsumerRecord<?, ?> record, DeadLetterFacts facts) {
        KafkaHeaders.put(headers, EXCEPTION_FQCN, text(facts.exceptionClass()));
        KafkaHeaders.put(headers, EXCEPTION_CAUSE_FQCN, facts.causeClass() == null ? null : text(facts.causeClass()));
        KafkaHeaders.put(headers, EXCEPTION_MESSAGE, text(facts.exceptionMessage()));
        KafkaHeaders.put(headers, EXCEPTION_STACKTRACE, text(facts.stackTrace()));
        KafkaHeaders.put(headers, ORIGINAL_TOPIC, text(record.topic()));
        KafkaHeaders.put(headers, ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(record.partition()).array());
        KafkaHeaders.put(headers, ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(record.offset()).array());
        KafkaHeaders.put(headers, ORIGINAL_TIMESTAMP, ByteBuffer.allocate(Long.BYTES).putLong(record.timestamp()).array());
        KafkaHeaders.put(headers, ORIGINAL_TIMESTAMP_TYPE, text(record.timestampType().toString()));
        KafkaHeaders.put(headers, ORIGINAL_CONSUMER_GROUP, facts.consumerGroup().isEmpty() ? null : text(facts.consumerGroup()));
        KafkaHeaders.put(headers, ATTEMPTS, ByteBuffer.allocate(Integer.BYTES).putInt(facts.attempts()).array());
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
