package dev.tracewire.sample.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracewire beside OpenTelemetry's Java agent, for real: {@link AgentPeer} runs in a child JVM
 * started with {@code -javaagent:} (the agent jar the build copied into {@code target/}), with
 * generated clients on default options (so the agent's global {@code OpenTelemetry}), against the
 * shared broker and NATS server, exporting its spans as OTLP JSON lines ({@code logging-otlp}) that
 * this test reads. Whether the agent instruments Kafka and NATS or not, every message is one trace:
 * caller, one PRODUCER span, one CONSUMER span below it, the handler inside the consumer span.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
class AgentInteropTest {

    static final String AGENT_PROPERTY = "tracewire.otel.agent";
    static final String TRACEWIRE_SCOPE = "dev.tracewire";
    static final String AGENT_KAFKA_SCOPE = "io.opentelemetry.kafka-clients-0.11";
    static final String AGENT_NATS_SCOPE = "io.opentelemetry.nats-2.17";

    @Test
    void agentInstrumentsKafkaAndNats(EmbeddedKafka kafka, NatsServerProcess nats) throws Exception {
        Run run = run(kafka, nats, List.of());
        run.assertOneTracePerMessage("kafka", AGENT_KAFKA_SCOPE, TRACEWIRE_SCOPE);
        run.assertFailure("kafka", AGENT_KAFKA_SCOPE, TRACEWIRE_SCOPE, AGENT_KAFKA_SCOPE);
        run.assertOneTracePerMessage("nats", AGENT_NATS_SCOPE, AGENT_NATS_SCOPE);
        run.assertFailure("nats", AGENT_NATS_SCOPE, AGENT_NATS_SCOPE, null);
        // JetStream publishes are not instrumented by the agent: tracewire's span stays
        run.assertHop(AgentPeer.messageId(run.id(), "jetstream", 0), "jetstream", TRACEWIRE_SCOPE, AGENT_NATS_SCOPE);
        // a loop of one's own calling handle(record): the agent's process span is the record's only one
        run.assertHop(AgentPeer.messageId(run.id(), "kafka-own-loop", 0), "kafka-own-loop", AGENT_KAFKA_SCOPE,
                AGENT_KAFKA_SCOPE);
    }

    @Test
    void agentWithoutKafkaAndNatsInstrumentation(EmbeddedKafka kafka, NatsServerProcess nats) throws Exception {
        Run run = run(kafka, nats, List.of("-Dotel.instrumentation.kafka.enabled=false",
                "-Dotel.instrumentation.nats.enabled=false"));
        run.assertOneTracePerMessage("kafka", TRACEWIRE_SCOPE, TRACEWIRE_SCOPE);
        run.assertFailure("kafka", TRACEWIRE_SCOPE, TRACEWIRE_SCOPE, TRACEWIRE_SCOPE);
        run.assertOneTracePerMessage("nats", TRACEWIRE_SCOPE, TRACEWIRE_SCOPE);
        run.assertFailure("nats", TRACEWIRE_SCOPE, TRACEWIRE_SCOPE, null);
        run.assertHop(AgentPeer.messageId(run.id(), "jetstream", 0), "jetstream", TRACEWIRE_SCOPE, TRACEWIRE_SCOPE);
        run.assertHop(AgentPeer.messageId(run.id(), "kafka-own-loop", 0), "kafka-own-loop", TRACEWIRE_SCOPE,
                TRACEWIRE_SCOPE);
    }

    private static Run run(EmbeddedKafka kafka, NatsServerProcess nats, List<String> agentSettings)
            throws InterruptedException {
        String agent = System.getProperty(AGENT_PROPERTY);
        assertThat(agent).as("system property %s (the build copies the agent and sets it)", AGENT_PROPERTY)
                .isNotNull();
        assertThat(Files.isRegularFile(Path.of(agent))).as("agent jar %s", agent).isTrue();
        kafka.createTopic(AgentInterfaces.TOPIC, 1);
        kafka.createTopic(AgentInterfaces.TOPIC + ".DLT", 1);
        kafka.createTopic(AgentInterfaces.OWN_LOOP_TOPIC, 1);
        String id = "r" + UUID.randomUUID().toString().substring(0, 8);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent,
                "-Dotel.service.name=tracewire-agent-peer",
                "-Dotel.traces.exporter=logging-otlp",
                "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none",
                "-Dotel.bsp.schedule.delay=100",
                "-XX:TieredStopAtLevel=1"));
        command.addAll(agentSettings);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentPeer.class.getName(), id,
                kafka.bootstrapServers(), nats.url()));
        long started = System.nanoTime();
        List<String> output;
        try (PeerProcess peer = PeerProcess.start("agent peer", null, command)) {
            output = peer.awaitSuccess(Duration.ofSeconds(120));
        }
        List<ExportedSpan> spans = ExportedSpan.parseOtlpLines(output);
        System.out.printf("[agent interop] %s %s: %d spans in %d ms%n%s", id, agentSettings, spans.size(),
                Duration.ofNanos(System.nanoTime() - started).toMillis(), SpanForest.render(spans));
        return new Run(id, output, spans);
    }

    /** What one child JVM printed and exported. */
    record Run(String id, List<String> output, List<ExportedSpan> spans) {

        void assertOneTracePerMessage(String system, String producerScope, String consumerScope) {
            for (int i = 0; i < AgentPeer.MESSAGES; i++) {
                String message = AgentPeer.messageId(id, system, i);
                ExportedSpan caller = only(spans.stream()
                        .filter(span -> span.name().equals(AgentPeer.CALLER_SPAN)
                                && message.equals(span.attribute("message")))
                        .toList(), "caller span of " + message);
                List<ExportedSpan> producers = spansOf(caller.traceId(), "PRODUCER");
                ExportedSpan producer = only(producers, system + " PRODUCER spans of " + message);
                assertThat(producer.parentSpanId()).as("parent of %s", producer).isEqualTo(caller.spanId());
                assertThat(producer.scope()).as("scope of %s", producer).isEqualTo(producerScope);
                ExportedSpan consumer = only(spansOf(caller.traceId(), "CONSUMER"),
                        system + " CONSUMER spans of " + message);
                assertThat(consumer.parentSpanId()).as("parent of %s", consumer).isEqualTo(producer.spanId());
                assertThat(consumer.scope()).as("scope of %s", consumer).isEqualTo(consumerScope);
                assertThat(output).as("the handler of %s runs inside %s", message, consumer)
                        .contains("PEER handler " + system + " " + message + " " + consumer.traceId() + " "
                                + consumer.spanId());
                if (system.equals("kafka")) {
                    assertThat(output).as("future of %s completes in the caller's context", message)
                            .contains("PEER future kafka " + message + " true");
                    assertThat(spans.stream().filter(span -> message.equals(span.attribute(
                            "messaging.kafka.message.key")))).as("every span about %s", message)
                            .containsExactlyInAnyOrder(producer, consumer);
                }
            }
            long messagingSpans = spans.stream()
                    .filter(span -> system.equals(span.attribute("messaging.system"))
                            && (span.kind().equals("PRODUCER") || span.kind().equals("CONSUMER")))
                    .filter(span -> system.equals("kafka")
                            ? String.valueOf(span.attribute("messaging.kafka.message.key")).matches(id + "-kafka-[0-9]+")
                            : AgentInterfaces.SUBJECT.equals(span.attribute("messaging.destination.name")))
                    .count();
            // NATS: every message of the run, the rejected one too (core NATS keeps nothing from earlier runs)
            long messages = system.equals("kafka") ? AgentPeer.MESSAGES : AgentPeer.MESSAGES + 1;
            assertThat(messagingSpans).as("%s PRODUCER and CONSUMER spans of run %s, in all traces", system, id)
                    .isEqualTo(2L * messages);
        }

        /**
         * A message with one hop checked on its own: caller, one PRODUCER span from
         * {@code producerScope}, one CONSUMER span from {@code consumerScope} below it, the handler
         * (which printed {@code label}) inside the consumer span.
         */
        void assertHop(String message, String label, String producerScope, String consumerScope) {
            ExportedSpan caller = only(spans.stream()
                    .filter(span -> span.name().equals(AgentPeer.CALLER_SPAN) && message.equals(span.attribute("message")))
                    .toList(), "caller span of " + message);
            // The agent instruments every Connection.publish, so a JetStream acknowledgement (a publish to
            // $JS.ACK...) gets a PRODUCER span of its own below the process span; it is not a message.
            List<ExportedSpan> producers = spansOf(caller.traceId(), "PRODUCER").stream()
                    .filter(span -> !span.name().startsWith("$JS.ACK.")).toList();
            ExportedSpan producer = only(producers, "PRODUCER spans of " + message);
            assertThat(producer.parentSpanId()).as("parent of %s", producer).isEqualTo(caller.spanId());
            assertThat(producer.scope()).as("scope of %s", producer).isEqualTo(producerScope);
            ExportedSpan consumer = only(spansOf(caller.traceId(), "CONSUMER"), "CONSUMER spans of " + message);
            assertThat(consumer.parentSpanId()).as("parent of %s", consumer).isEqualTo(producer.spanId());
            assertThat(consumer.scope()).as("scope of %s", consumer).isEqualTo(consumerScope);
            assertThat(output).as("the handler of %s runs inside %s", message, consumer)
                    .contains("PEER handler " + label + " " + message + " " + consumer.traceId() + " "
                            + consumer.spanId());
        }

        /**
         * The message the handler rejects: caller, one PRODUCER span, the CONSUMER span below it
         * with status ERROR and {@code error.type}, and, for Kafka, the dead letter's PRODUCER span
         * below that (to {@code <topic>.DLT}) from {@code deadLetterScope}; nothing else.
         */
        void assertFailure(String system, String producerScope, String consumerScope, String deadLetterScope) {
            String message = AgentPeer.failingId(id, system);
            ExportedSpan caller = only(spans.stream()
                    .filter(span -> span.name().equals(AgentPeer.CALLER_SPAN) && message.equals(span.attribute("message")))
                    .toList(), "caller span of " + message);
            List<ExportedSpan> producers = spansOf(caller.traceId(), "PRODUCER");
            ExportedSpan producer = only(producers.stream().filter(span -> span.isChildOf(caller)).toList(),
                    system + " PRODUCER spans of " + message);
            assertThat(producer.scope()).as("scope of %s", producer).isEqualTo(producerScope);
            ExportedSpan consumer = only(spansOf(caller.traceId(), "CONSUMER"), system + " CONSUMER spans of " + message);
            assertThat(consumer.parentSpanId()).as("parent of %s", consumer).isEqualTo(producer.spanId());
            assertThat(consumer.scope()).as("scope of %s", consumer).isEqualTo(consumerScope);
            assertThat(consumer.status()).as("status of %s", consumer).isEqualTo("ERROR");
            assertThat(consumer.attribute("error.type")).as("error.type of %s", consumer)
                    .isEqualTo(IllegalStateException.class.getName());
            if (deadLetterScope == null) {
                assertThat(producers).as("PRODUCER spans in the trace of %s", message).containsExactly(producer);
                return;
            }
            ExportedSpan deadLetter = only(producers.stream().filter(span -> span.isChildOf(consumer)).toList(),
                    "dead-letter PRODUCER spans of " + message);
            assertThat(deadLetter.scope()).as("scope of %s", deadLetter).isEqualTo(deadLetterScope);
            assertThat(deadLetter.attribute("messaging.destination.name")).as("destination of %s", deadLetter)
                    .isEqualTo(AgentInterfaces.TOPIC + ".DLT");
            assertThat(producers).as("PRODUCER spans in the trace of %s", message)
                    .containsExactlyInAnyOrder(producer, deadLetter);
        }

        private List<ExportedSpan> spansOf(String traceId, String kind) {
            return spans.stream().filter(span -> span.traceId().equals(traceId) && span.kind().equals(kind)).toList();
        }

        private static ExportedSpan only(List<ExportedSpan> candidates, String what) {
            assertThat(candidates).as(what).hasSize(1);
            return candidates.get(0);
        }
    }
}
