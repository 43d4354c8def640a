package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.BRIDGE_CORE;
import static dev.tracewire.sample.nats.NatsInterfaces.BRIDGE_IN;
import static dev.tracewire.sample.nats.NatsInterfaces.BRIDGE_JETSTREAM;
import static dev.tracewire.sample.nats.NatsInterfaces.BRIDGE_OUT;
import static dev.tracewire.sample.nats.NatsInterfaces.BRIDGE_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.SharedKafka;
import io.nats.client.Connection;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One trace across four hops, Kafka -> core NATS -> JetStream -> Kafka, through generated clients only. */
@ExtendWith(SharedKafka.Extension.class)
class KafkaNatsBridgeTest extends NatsTestBase {

    record Sunk(String key, String text, SpanContext span) {
    }

    @Test
    void oneTraceFlowsFromKafkaThroughNatsAndJetStreamBackToKafka(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(BRIDGE_IN, 1);
        kafka.createTopic(BRIDGE_OUT, 1);
        Connection connection = connect();
        createStream(connection, BRIDGE_STREAM, BRIDGE_JETSTREAM);
        KafkaProducer<String, String> producer = closeLater(
                new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new StringSerializer()));
        BlockingQueue<Sunk> sunk = new LinkedBlockingQueue<>();

        NatsInterfaces.BridgeToNats toNats = new TracedNatsInterfaces_BridgeToNats(connection, options);
        NatsInterfaces.BridgeToJetStream toJetStream = new TracedNatsInterfaces_BridgeToJetStream(connection, options);
        NatsInterfaces.BridgeToKafka toKafka = new TracedNatsInterfaces_BridgeToKafka(producer, options);
        closeLater(new TracedNatsInterfaces_BridgeSink(
                (key, text) -> sunk.add(new Sunk(key, text, Span.current().getSpanContext())), options)
                .start(consumer(kafka, "e2e-bridge-out")));
        closeLater(new TracedNatsInterfaces_BridgeFromJetStream(
                (text, key) -> toKafka.out(key, text + " > kafka"), options).start(connect()));
        Connection coreConnection = connect();
        closeLater(new TracedNatsInterfaces_BridgeFromNats(
                (text, key) -> toJetStream.store(text + " > jetstream", key), options).start(coreConnection));
        coreConnection.flush(Duration.ofSeconds(5));
        closeLater(new TracedNatsInterfaces_BridgeFromKafka(
                (key, text) -> toNats.forward(text + " > nats", key), options).start(consumer(kafka, "e2e-bridge-in")));

        Span caller = tracer().spanBuilder("caller").startSpan();
        Scope scope = caller.makeCurrent();
        try {
            new TracedNatsInterfaces_BridgeStart(producer, options).start("b-1", "kafka");
        } finally {
            scope.close();
            caller.end();
        }

        Sunk got = sunk.poll(60, TimeUnit.SECONDS);
        assertThat(got).as("the message came back to Kafka").isNotNull();
        assertThat(got.key()).isEqualTo("b-1");
        assertThat(got.text()).isEqualTo("kafka > nats > jetstream > kafka");

        List<String> chain = List.of("send " + BRIDGE_IN, "process " + BRIDGE_IN, "publish " + BRIDGE_CORE,
                "process " + BRIDGE_CORE, "publish " + BRIDGE_JETSTREAM, "process " + BRIDGE_JETSTREAM,
                "send " + BRIDGE_OUT, "process " + BRIDGE_OUT);
        List<SpanData> spans = awaitSpans(all -> chain.stream().allMatch(name -> !named(all, name).isEmpty()));
        String parent = caller.getSpanContext().getSpanId();
        for (String name : chain) {
            List<SpanData> hop = named(spans, name);
            assertThat(hop).as(name).hasSize(1);
            SpanData span = hop.get(0);
            assertThat(span.getTraceId()).as("trace of %s", name).isEqualTo(caller.getSpanContext().getTraceId());
            assertThat(span.getParentSpanId()).as("parent of %s", name).isEqualTo(parent);
            assertThat(span.getKind()).as("kind of %s", name)
                    .isEqualTo(name.startsWith("process") ? SpanKind.CONSUMER : SpanKind.PRODUCER);
            assertThat(span.getAttributes().get(SYSTEM)).as("system of %s", name)
                    .isEqualTo(name.contains(BRIDGE_IN) || name.contains(BRIDGE_OUT) ? "kafka" : "nats");
            parent = span.getSpanId();
        }
        assertThat(got.span().getSpanId()).isEqualTo(parent);
        assertThat(named(spans, "publish " + BRIDGE_JETSTREAM).get(0).getAttributes().get(STREAM))
                .isEqualTo(BRIDGE_STREAM);
    }

    private static KafkaConsumer<String, String> consumer(EmbeddedKafka kafka, String group) {
        return new KafkaConsumer<>(kafka.consumerConfig(group), new StringDeserializer(), new StringDeserializer());
    }
}
