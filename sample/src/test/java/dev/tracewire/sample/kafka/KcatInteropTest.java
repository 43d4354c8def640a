package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with a Kafka client that is neither Java nor tracewire: {@code kcat} (librdkafka, as
 * used from C, Python's confluent-kafka, Go...) produces records with a W3C {@code traceparent}
 * header that generated consumers continue, and reads the context generated publishers inject.
 * kcat is required: when it is missing these tests fail and say how to install it.
 */
@ExtendWith(SharedKafka.Extension.class)
class KcatInteropTest extends KafkaTestBase {

    static final String TRACED_IN = "e2e.kcat.traced-in";
    static final String UNTRACED_IN = "e2e.kcat.untraced-in";
    static final String OUT = "e2e.kcat.out";

    private static final IdGenerator IDS = IdGenerator.random();
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");

    @TracedConsumer(group = "e2e-kcat-traced")
    interface TracedInbound {
        @Topic(TRACED_IN)
        void onRecord(@Key String key, String text, @Header("tenant") String tenant);
    }

    @TracedConsumer(group = "e2e-kcat-untraced")
    interface UntracedInbound {
        @Topic(UNTRACED_IN)
        void onRecord(@Key String key, String text, @Header("tenant") String tenant);
    }

    @TracedPublisher
    interface Outbound {
        @Topic(OUT)
        RecordMetadata send(@Key String key, String text, @Header("tenant") String tenant);
    }

    /** What a handler saw: the record's parts, the span it ran in and the baggage entry {@code origin}. */
    record Received(String key, String text, String tenant, SpanContext span, String origin) {
        static Received now(String key, String text, String tenant) {
            return new Received(key, text, tenant, Span.current().getSpanContext(),
                    Baggage.current().getEntryValue("origin"));
        }
    }

    @Test
    void aRecordProducedByKcatWithATraceparentIsProcessedAsAChildOfThatRemoteSpan(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(TRACED_IN, 1);
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        closeLater(new TracedKcatInteropTest_TracedInbound(
                (key, text, tenant) -> received.add(Received.now(key, text, tenant)), options)
                .start(stringConsumer(kafka, "e2e-kcat-traced")));
        String traceId = IDS.generateTraceId();
        String spanId = IDS.generateSpanId();

        // A C/Python peer continuing its trace: W3C headers next to one of the application's own.
        Kcat.run("grüße from kcat\n", List.of("-P", "-b", bootstrap(kafka), "-t", TRACED_IN, "-k", "kcat-1",
                "-H", "traceparent=00-" + traceId + "-" + spanId + "-01",
                "-H", "tenant=acme",
                "-H", "baggage=origin=kcat"));

        Received got = received.poll(30, TimeUnit.SECONDS);
        assertThat(got).as("the handler was called").isNotNull();
        assertThat(got.key()).isEqualTo("kcat-1");
        assertThat(got.text()).isEqualTo("grüße from kcat");
        assertThat(got.tenant()).isEqualTo("acme");
        assertThat(got.origin()).as("Baggage.current() in the handler").isEqualTo("kcat");

        SpanData process = awaitSpan("process " + TRACED_IN);
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).as("the trace kcat's peer started").isEqualTo(traceId);
        assertThat(process.getParentSpanId()).as("kcat's peer span is the parent").isEqualTo(spanId);
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
        assertThat(process.getParentSpanContext().isSampled()).isTrue();
        assertThat(process.getAttributes().asMap()).containsEntry(DESTINATION, TRACED_IN)
                .containsEntry(KEY, "kcat-1").containsEntry(GROUP, "e2e-kcat-traced").containsEntry(OFFSET, 0L);
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(got.span().getTraceId()).isEqualTo(traceId);
        assertThat(got.span().getSpanId()).as("Span.current() in the handler").isEqualTo(process.getSpanId());
    }

    @Test
    void aRecordProducedByKcatWithoutATraceparentIsProcessedInANewTrace(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(UNTRACED_IN, 1);
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        closeLater(new TracedKcatInteropTest_UntracedInbound(
                (key, text, tenant) -> received.add(Received.now(key, text, tenant)), options)
                .start(stringConsumer(kafka, "e2e-kcat-untraced")));

        Kcat.run("no context here\n", List.of("-P", "-b", bootstrap(kafka), "-t", UNTRACED_IN, "-k", "kcat-2",
                "-H", "tenant=acme"));

        Received got = received.poll(30, TimeUnit.SECONDS);
        assertThat(got).as("the handler was called").isNotNull();
        assertThat(got.key()).isEqualTo("kcat-2");
        assertThat(got.text()).isEqualTo("no context here");
        assertThat(got.tenant()).isEqualTo("acme");
        assertThat(got.origin()).isNull();

        SpanData process = awaitSpan("process " + UNTRACED_IN);
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getParentSpanContext().isValid()).as("no parent: a new trace").isFalse();
        assertThat(process.getSpanContext().isValid()).isTrue();
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(got.span().getTraceId()).isEqualTo(process.getTraceId());
        assertThat(got.span().getSpanId()).isEqualTo(process.getSpanId());
    }

    @Test
    void kcatReadsTheTraceparentAndHeaderAGeneratedPublisherSent(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(OUT, 1);
        Outbound events = new TracedKcatInteropTest_Outbound(stringProducer(kafka), options);
        Span caller = sdk.getTracer("tests").spanBuilder("caller").startSpan();
        RecordMetadata metadata;
        Scope scope = caller.makeCurrent();
        try {
            metadata = events.send("java-1", "grüße from tracewire", "acme-zürich");
        } finally {
            scope.close();
            caller.end();
        }
        SpanData send = awaitSpan("send " + OUT);
        assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        // The SDK marks the trace ids it generates as random (W3C Trace Context level 2), so
        // the flags are 03 (sampled and random), not 01.
        TraceFlags flags = send.getSpanContext().getTraceFlags();
        assertThat(flags.isSampled()).isTrue();
        assertThat(flags.isTraceIdRandom()).isTrue();
        assertThat(flags.asHex()).isEqualTo("03");

        // %h prints the headers as name=value pairs joined by ',' with nothing escaped; '|' is
        // in none of the parts sent here, so it separates them unambiguously.
        Kcat.Result result = Kcat.run("", List.of("-C", "-b", bootstrap(kafka), "-t", OUT,
                "-o", "beginning", "-c", "1", "-e", "-f", "%o|%k|%h|%s\\n"));

        List<String> lines = result.stdout().lines().toList();
        assertThat(lines).as("kcat's output (stderr: %s)", result.stderr()).hasSize(1);
        String[] parts = lines.get(0).split("\\|", 4);
        assertThat(parts).as("offset|key|headers|value in %s", lines.get(0)).hasSize(4);
        assertThat(Long.parseLong(parts[0])).isEqualTo(metadata.offset());
        assertThat(parts[1]).isEqualTo("java-1");
        assertThat(parts[3]).isEqualTo("grüße from tracewire");
        assertThat(Arrays.asList(parts[2].split(",", -1))).as("the headers kcat saw")
                .containsExactlyInAnyOrder(
                        "traceparent=00-" + send.getTraceId() + "-" + send.getSpanId() + "-" + flags.asHex(),
                        "tenant=acme-zürich");
    }

    @Test
    void withoutKcatTheTestsFailSayingHowToInstallIt(@TempDir Path empty) throws Exception {
        Map<String, String> environment = Map.of("PATH", empty.toString());
        assertThatThrownBy(() -> Kcat.require(environment, List.of(empty)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("cannot find the kcat program")
                .hasMessageContaining("apt-get install -y kcat");

        Path notAProgram = Files.writeString(empty.resolve("kcat"), "not a program");
        assertThatThrownBy(() -> Kcat.require(Map.of(Kcat.PATH_VARIABLE, notAProgram.toString()), List.of()))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is not an executable file")
                .hasMessageContaining("apt-get install -y kcat");
        assertThat(Kcat.find(environment, List.of(empty))).as("a file that is not executable is no program").isEmpty();
    }

    /** The broker's address; kcat gets nothing else, and the broker advertises only 127.0.0.1. */
    private static String bootstrap(EmbeddedKafka kafka) {
        String bootstrap = kafka.bootstrapServers();
        assertThat(bootstrap).startsWith("127.0.0.1:");
        return bootstrap;
    }
}
