package dev.tracewire.sample.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.infra.Program;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracewire and a Node.js service with OpenTelemetry JS ({@code sample/node-peer}, installed by
 * {@code npm ci} from its lockfile) on the shared broker and NATS server, each direction one trace:
 * Kafka through kafkajs with OpenTelemetry's kafkajs instrumentation; NATS through
 * {@code @nats-io/transport-node} with the W3C propagator, once in headers and once in the
 * {@code _otel_trace_headers} field of a JSON payload. Assertions combine the spans of both sides:
 * the Java ones from the SDK, the Node ones from the lines the peer prints.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
class NodePeerTest {

    /** The peer's folder; the tests run in the sample's folder. */
    static final Path PEER = Paths.get("node-peer");
    static final String NODE_PATH_VARIABLE = "NODE_BINARY";
    static final String KAFKAJS_SCOPE = "@opentelemetry/instrumentation-kafkajs";
    static final String NODE_SCOPE = "tracewire-node-peer";
    static final String TRACEWIRE_SCOPE = AgentInteropTest.TRACEWIRE_SCOPE;
    static final List<String> KINDS = List.of("kafka", "nats-headers", "nats-payload");

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private OpenTelemetrySdk sdk;

    @BeforeEach
    void createSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
    }

    @AfterEach
    void closeSdk() {
        sdk.close();
    }

    @Test
    void oneTraceEachWayOverKafkaNatsHeadersAndPayloadField(EmbeddedKafka kafka, NatsServerProcess nats)
            throws Exception {
        Path node = new Program("node", NODE_PATH_VARIABLE, "install Node.js 20 or later (Debian: apt-get install -y"
                + " nodejs npm), or point " + NODE_PATH_VARIABLE + " at the node program")
                .require(System.getenv(), List.of(Paths.get("/usr/bin"), Paths.get("/usr/local/bin")), "the Node peer");
        assertThat(PEER.resolve("node_modules/kafkajs")).as("the Node peer's packages: run (cd sample/node-peer &&"
                + " npm ci); the build's set-up step does when npm is there").isDirectory();
        kafka.createTopic(NodeInterfaces.KAFKA_TO_JAVA, 1);
        kafka.createTopic(NodeInterfaces.KAFKA_FROM_JAVA, 1);
        String run = "n" + UUID.randomUUID().toString().substring(0, 8);
        TracewireOptions options = TracewireOptions.builder().openTelemetry(sdk).embedContextInPayload(true).build();
        Tracer tracer = sdk.getTracer("dev.tracewire.sample.interop.NodePeerTest");

        Map<String, SpanContext> handledInJava = new ConcurrentHashMap<>();
        CountDownLatch javaHandledAll = new CountDownLatch(KINDS.size());
        NodeInterfaces.KafkaIn kafkaIn = (key, text) -> handled(handledInJava, javaHandledAll, run, key, "kafka");
        NodeInterfaces.NatsIn natsIn = new NodeInterfaces.NatsIn() {
            @Override
            public void fromHeaders(NodeInterfaces.Note note) {
                handled(handledInJava, javaHandledAll, run, note.run(), "nats-headers");
            }

            @Override
            public void fromPayloadField(NodeInterfaces.Note note) {
                handled(handledInJava, javaHandledAll, run, note.run(), "nats-payload");
            }
        };
        List<String> output;
        Connection connection = Nats.connect(nats.url());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                new StringSerializer(), new StringSerializer());
                Subscription kafkaSubscription = new TracedNodeInterfaces_KafkaIn(kafkaIn, options).start(
                        new KafkaConsumer<>(kafka.consumerConfig("interop-node-" + run), new StringDeserializer(),
                                new StringDeserializer()));
                Subscription natsSubscription = new TracedNodeInterfaces_NatsIn(natsIn, options).start(connection)) {
            connection.flush(Duration.ofSeconds(10));
            try (PeerProcess peer = PeerProcess.start("node peer", PEER,
                    List.of(node.toString(), "peer.js", peerConfig(run, kafka, nats)))) {
                awaitReady(peer);
                NodeInterfaces.KafkaOut kafkaOut = new TracedNodeInterfaces_KafkaOut(producer, options);
                NodeInterfaces.NatsOut natsOut = new TracedNodeInterfaces_NatsOut(connection, options);
                inCaller(tracer, run + "-kafka", () -> kafkaOut.send(run + "-kafka", "from java"));
                inCaller(tracer, run + "-nats-headers",
                        () -> natsOut.withHeaders(new NodeInterfaces.Note(run + "-nats-headers", "from java")));
                inCaller(tracer, run + "-nats-payload",
                        () -> natsOut.withPayloadField(new NodeInterfaces.Note(run + "-nats-payload", "from java")));
                output = peer.awaitSuccess(Duration.ofSeconds(90));
            }
            assertThat(javaHandledAll.await(30, TimeUnit.SECONDS)).as("handled in Java: %s", handledInJava.keySet())
                    .isTrue();
        } finally {
            connection.close();
        }

        List<ExportedSpan> spans = new ArrayList<>(ExportedSpan.parseSpanLines(output, "SPAN "));
        exporter.getFinishedSpanItems().stream().map(NodePeerTest::exported).forEach(spans::add);
        System.out.printf("[node interop] %s: %d spans%n%s", run, spans.size(), SpanForest.render(spans));

        for (String kind : KINDS) {
            String nodeProducerScope = kind.equals("kafka") ? KAFKAJS_SCOPE : NODE_SCOPE;
            SpanContext inJava = handledInJava.get(kind);
            ExportedSpan toJava = assertHop(spans, run + "-" + kind, nodeProducerScope, TRACEWIRE_SCOPE);
            assertThat(inJava.getSpanId()).as("Java's handler of %s runs in %s", kind, toJava).isEqualTo(toJava.spanId());
            ExportedSpan toNode = assertHop(spans, run + "-" + kind, TRACEWIRE_SCOPE, nodeProducerScope);
            assertThat(output).as("Node's handler of %s runs in %s", kind, toNode)
                    .contains("PEER handled " + kind + " " + toNode.traceId() + " " + toNode.spanId());
        }
    }

    /**
     * Asserts the trace of the caller span named for {@code message} whose PRODUCER span comes from
     * {@code producerScope}: caller, that PRODUCER span as its child, one CONSUMER span from
     * {@code consumerScope} as the producer's child, and no other messaging span; returns the
     * consumer span.
     */
    private static ExportedSpan assertHop(List<ExportedSpan> spans, String message, String producerScope,
            String consumerScope) {
        List<ExportedSpan> callers = spans.stream()
                .filter(span -> span.name().equals("caller") && message.equals(span.attribute("message")))
                .filter(span -> spans.stream().anyMatch(producer -> producer.isChildOf(span)
                        && producer.kind().equals("PRODUCER") && producer.scope().equals(producerScope)))
                .toList();
        assertThat(callers).as("caller of %s with a PRODUCER span from %s", message, producerScope).hasSize(1);
        ExportedSpan caller = callers.get(0);
        List<ExportedSpan> trace = spans.stream().filter(span -> span.traceId().equals(caller.traceId())).toList();
        List<ExportedSpan> producers = trace.stream().filter(span -> span.kind().equals("PRODUCER")).toList();
        List<ExportedSpan> consumers = trace.stream().filter(span -> span.kind().equals("CONSUMER")).toList();
        assertThat(producers).as("PRODUCER spans of %s", message).hasSize(1);
        assertThat(consumers).as("CONSUMER spans of %s", message).hasSize(1);
        ExportedSpan producer = producers.get(0);
        ExportedSpan consumer = consumers.get(0);
        assertThat(producer.parentSpanId()).as("parent of %s", producer).isEqualTo(caller.spanId());
        assertThat(consumer.parentSpanId()).as("parent of %s", consumer).isEqualTo(producer.spanId());
        assertThat(consumer.scope()).as("scope of %s", consumer).isEqualTo(consumerScope);
        return consumer;
    }

    private static void handled(Map<String, SpanContext> handled, CountDownLatch all, String run, String message,
            String kind) {
        if (message.equals(run + "-" + kind) && handled.putIfAbsent(kind, Span.current().getSpanContext()) == null) {
            all.countDown();
        }
    }

    private static void inCaller(Tracer tracer, String message, Runnable send) {
        Span caller = tracer.spanBuilder("caller").setAttribute("message", message).startSpan();
        try (Scope ignored = caller.makeCurrent()) {
            send.run();
        } finally {
            caller.end();
        }
    }

    private static void awaitReady(PeerProcess peer) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!peer.printed("PEER ready")) {
            if (System.nanoTime() > deadline || peer.printed("PEER failed")) {
                throw new AssertionError("the Node peer did not get ready; it printed:\n"
                        + String.join("\n", peer.lines()));
            }
            Thread.sleep(50);
        }
    }

    private static String peerConfig(String run, EmbeddedKafka kafka, NatsServerProcess nats) throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("run", run);
        config.put("bootstrapServers", kafka.bootstrapServers());
        config.put("natsUrl", nats.url());
        config.put("kafkaToJava", NodeInterfaces.KAFKA_TO_JAVA);
        config.put("kafkaFromJava", NodeInterfaces.KAFKA_FROM_JAVA);
        config.put("natsHeadersToJava", NodeInterfaces.NATS_HEADERS_TO_JAVA);
        config.put("natsHeadersFromJava", NodeInterfaces.NATS_HEADERS_FROM_JAVA);
        config.put("natsPayloadToJava", NodeInterfaces.NATS_PAYLOAD_TO_JAVA);
        config.put("natsPayloadFromJava", NodeInterfaces.NATS_PAYLOAD_FROM_JAVA);
        return new ObjectMapper().writeValueAsString(config);
    }

    private static ExportedSpan exported(SpanData span) {
        Map<String, String> attributes = new LinkedHashMap<>();
        span.getAttributes().forEach((key, value) -> attributes.put(key.getKey(), String.valueOf(value)));
        return new ExportedSpan(span.getTraceId(), span.getSpanId(),
                span.getParentSpanContext().isValid() ? span.getParentSpanId() : "", span.getName(),
                span.getKind().name(), span.getInstrumentationScopeInfo().getName(),
                span.getStatus().getStatusCode().name(), attributes);
    }
}
