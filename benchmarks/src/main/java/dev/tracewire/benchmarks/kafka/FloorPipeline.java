package dev.tracewire.benchmarks.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The end-to-end floor (table 5): the least a traced Kafka pipeline can do, written by hand. One
 * PRODUCER span per send with the three attributes of the JMH floors, its context injected into the
 * record's headers, ended in the producer's callback; one CONSUMER span per record, the child of the
 * context extracted from its headers, current around the handler, ended after it. Nothing else: no
 * key attribute, no partition or offset, no failure handling beyond recording the exception.
 */
final class FloorPipeline {

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String sendName;
    private final String processName;
    private final String topic;

    FloorPipeline(OpenTelemetry openTelemetry, String topic) {
        this.tracer = openTelemetry.getTracer("floor");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.topic = topic;
        this.sendName = "send " + topic;
        this.processName = "process " + topic;
    }

    /** Sends {@code key} and {@code value} through {@code producer}, fire and forget, in a PRODUCER span. */
    <K, V> void send(Producer<K, V> producer, K key, V value) {
        ProducerRecord<K, V> record = new ProducerRecord<>(topic, key, value);
        Span span = tracer.spanBuilder(sendName)
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute(KafkaPublishBenchmark.MESSAGING_SYSTEM, "kafka")
                .setAttribute(KafkaPublishBenchmark.MESSAGING_DESTINATION_NAME, topic)
                .setAttribute(KafkaPublishBenchmark.MESSAGING_OPERATION_TYPE, "send")
                .startSpan();
        propagator.inject(Context.current().with(span), record.headers(), KafkaPublishBenchmark.ADD_HEADER);
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        });
    }

    /** Runs {@code handler} for {@code record} in a CONSUMER span, the child of the record's context. */
    <K, V> void process(ConsumerRecord<K, V> record, BiConsumer<K, V> handler) {
        Context parent = propagator.extract(Context.root(), record.headers(), KafkaDispatchBenchmark.GETTER);
        Span span = tracer.spanBuilder(processName)
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(KafkaPublishBenchmark.MESSAGING_SYSTEM, "kafka")
                .setAttribute(KafkaPublishBenchmark.MESSAGING_DESTINATION_NAME, topic)
                .setAttribute(KafkaPublishBenchmark.MESSAGING_OPERATION_TYPE, "process")
                .startSpan();
        Scope scope = parent.with(span).makeCurrent();
        try {
            handler.accept(record.key(), record.value());
        } catch (RuntimeException e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR);
            throw e;
        } finally {
            scope.close();
            span.end();
        }
    }
}
