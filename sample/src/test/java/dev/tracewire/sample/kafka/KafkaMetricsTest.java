package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.OpsInterfaces.HEALTH;
import static dev.tracewire.sample.kafka.OpsInterfaces.METERED;
import static dev.tracewire.sample.kafka.OpsInterfaces.UNMETERED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import dev.tracewire.sample.support.MeteredTelemetry;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The messaging metrics and the propagation-health counter of generated Kafka clients on the real
 * broker, read with the SDK's in-memory metric reader: names, units, bucket boundaries, the exact
 * attribute sets, counts equal to the messages, instruments built once per client, nothing from a
 * client given {@code OpenTelemetry.noop()}.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaMetricsTest extends KafkaTestBase {

    static final String OPERATION_DURATION = "messaging.client.operation.duration";
    static final String SENT = "messaging.client.sent.messages";
    static final String CONSUMED = "messaging.client.consumed.messages";
    static final String PROCESS_DURATION = "messaging.process.duration";
    static final String PROPAGATION = "tracewire.propagation.messages";
    /** The buckets the messaging semantic conventions advise for their duration histograms. */
    static final List<Double> DURATION_BUCKETS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    /** Instruments one client builds: two histograms and three counters. */
    static final int INSTRUMENTS_PER_CLIENT = 5;

    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    static final AttributeKey<String> CONTEXT_SOURCE = AttributeKey.stringKey("tracewire.context.source");

    private MeteredTelemetry metered;

    @BeforeEach
    void meter() {
        metered = new MeteredTelemetry(sdk);
    }

    @AfterEach
    void closeMeter() {
        metered.close();
    }

    @Test
    void sendsAndProcessedRecordsAreMeasuredWithTheConventionsNamesUnitsBucketsAndAttributes(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(METERED, 1);
        TracewireOptions measured = TracewireOptions.builder().openTelemetry(metered)
                .errorPolicy(ErrorPolicy.skip()).build();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedOpsInterfaces_MeteredHandler((key, text) -> {
            handled.add(key);
            if (text.equals("reject")) {
                throw new RejectedException("rejected " + key);
            }
        }, measured).start(stringConsumer(kafka, "ops-metered")));
        OpsInterfaces.MeteredEvents events = new TracedOpsInterfaces_MeteredEvents(stringProducer(kafka), measured);
        int instrumentsOfTwoClients = metered.instrumentsBuilt();

        for (int i = 1; i <= 5; i++) {
            events.send("k-" + i, "fine").get(30, TimeUnit.SECONDS);
        }
        events.send("k-6", "reject").get(30, TimeUnit.SECONDS);
        Throwable tooLarge = catchThrowable(() -> events.send("k-7", "x".repeat(1_100_000)).get(30, TimeUnit.SECONDS));
        assertThat(tooLarge).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(RecordTooLargeException.class);
        for (int i = 1; i <= 6; i++) {
            assertThat(handled.poll(30, TimeUnit.SECONDS)).isNotNull();
        }
        metered.awaitCount(CONSUMED, any -> true, 6);
        metered.describe().forEach(line -> System.out.println("[tracewire tests] exported: " + line));

        String[] broker = kafka.bootstrapServers().split(",")[0].split(":");
        Attributes send = Attributes.builder()
                .put(SYSTEM, "kafka").put(DESTINATION, METERED)
                .put(OPERATION_NAME, "send").put(OPERATION_TYPE, "send")
                .put(SERVER_ADDRESS, broker[0]).put(SERVER_PORT, Long.parseLong(broker[1]))
                .build();
        Attributes failedSend = send.toBuilder().put(ERROR_TYPE, RecordTooLargeException.class.getName()).build();
        Attributes process = Attributes.builder()
                .put(SYSTEM, "kafka").put(DESTINATION, METERED)
                .put(OPERATION_NAME, "process").put(OPERATION_TYPE, "process").put(GROUP, "ops-metered")
                .put(SERVER_ADDRESS, broker[0]).put(SERVER_PORT, Long.parseLong(broker[1]))
                .build();
        Attributes failedProcess = process.toBuilder().put(ERROR_TYPE, RejectedException.class.getName()).build();

        assertInstrument(metered.metric(OPERATION_DURATION), "s", "Duration of messaging operation");
        assertInstrument(metered.metric(SENT), "{message}", "Number of messages producer attempted to send");
        assertInstrument(metered.metric(CONSUMED), "{message}", "Number of messages that were delivered");
        assertInstrument(metered.metric(PROCESS_DURATION), "s", "Duration of processing operation");
        assertInstrument(metered.metric(PROPAGATION), "{message}", "by what carried their trace context");

        assertThat(metered.histogramPoints(OPERATION_DURATION, any -> true))
                .extracting(HistogramPointData::getAttributes).containsExactlyInAnyOrder(send, failedSend);
        assertThat(metered.histogramPoints(OPERATION_DURATION, send::equals)).singleElement().satisfies(point -> {
            assertThat(point.getCount()).isEqualTo(6);
            assertThat(point.getBoundaries()).isEqualTo(DURATION_BUCKETS);
            assertThat(point.getSum()).isPositive();
        });
        assertThat(metered.histogramPoints(OPERATION_DURATION, failedSend::equals)).singleElement()
                .satisfies(point -> assertThat(point.getCount()).isEqualTo(1));
        assertThat(metered.count(SENT, send::equals)).isEqualTo(6);
        assertThat(metered.count(SENT, failedSend::equals)).isEqualTo(1);

        assertThat(metered.histogramPoints(PROCESS_DURATION, any -> true))
                .extracting(HistogramPointData::getAttributes).containsExactlyInAnyOrder(process, failedProcess);
        assertThat(metered.histogramPoints(PROCESS_DURATION, process::equals)).singleElement().satisfies(point -> {
            assertThat(point.getCount()).isEqualTo(5);
            assertThat(point.getBoundaries()).isEqualTo(DURATION_BUCKETS);
        });
        assertThat(metered.histogramPoints(PROCESS_DURATION, failedProcess::equals)).singleElement()
                .satisfies(point -> assertThat(point.getCount()).isEqualTo(1));
        assertThat(metered.count(CONSUMED, process::equals)).isEqualTo(5);
        assertThat(metered.count(CONSUMED, failedProcess::equals)).isEqualTo(1);

        assertThat(metered.counterPoints(PROPAGATION, any -> true)).singleElement().satisfies(point -> {
            assertThat(point.getAttributes()).isEqualTo(Attributes.of(SYSTEM, "kafka", DESTINATION, METERED,
                    CONTEXT_SOURCE, "header"));
            assertThat(point.getValue()).as("every record came from a traced publisher").isEqualTo(6);
        });
        assertThat(metered.instrumentsBuilt()).as("built once per client (publisher, consumer), not per record")
                .isEqualTo(instrumentsOfTwoClients).isEqualTo(2 * INSTRUMENTS_PER_CLIENT);
    }

    @Test
    void theConsumedRecordsAreCountedByWhatCarriedTheirContext(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(HEALTH, 1);
        TracewireOptions measured = TracewireOptions.builder().openTelemetry(metered).build();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedOpsInterfaces_HealthHandler((key, text) -> handled.add(key), measured)
                .start(stringConsumer(kafka, "ops-health")));
        KafkaProducer<String, String> raw = stringProducer(kafka);
        send(raw, "header-1", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        send(raw, "header-2", "traceparent", "00-0af7651916cd43dd8448eb211c80319d-b7ad6b7169203332-00");
        send(raw, "absent-1", null, null);
        send(raw, "absent-2", "tenant", "acme");
        send(raw, "absent-3", "baggage", "k=v");
        send(raw, "invalid-1", "traceparent", "00-not-a-trace-01");
        send(raw, "invalid-2", "traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01");
        for (int i = 0; i < 7; i++) {
            assertThat(handled.poll(30, TimeUnit.SECONDS)).isNotNull();
        }
        metered.awaitCount(PROPAGATION, any -> true, 7);

        assertThat(metered.count(PROPAGATION, source("header"))).isEqualTo(2);
        assertThat(metered.count(PROPAGATION, source("absent"))).as("no traceparent, whatever else").isEqualTo(3);
        assertThat(metered.count(PROPAGATION, source("invalid"))).as("a traceparent with no valid context")
                .isEqualTo(2);
        assertThat(metered.counterPoints(PROPAGATION, any -> true)).allSatisfy(point -> assertThat(
                point.getAttributes().asMap()).containsOnlyKeys(SYSTEM, DESTINATION, CONTEXT_SOURCE)
                .containsEntry(DESTINATION, HEALTH));
    }

    @Test
    void aClientGivenTheNoopOpenTelemetryMeasuresNothingEvenWhenTheGlobalOneMeasures(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(UNMETERED, 1);
        GlobalOpenTelemetry.set(metered);
        try {
            TracewireOptions noop = TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build();
            BlockingQueue<String> handled = new LinkedBlockingQueue<>();
            closeLater(new TracedOpsInterfaces_UnmeteredHandler((key, text) -> handled.add(key), noop)
                    .start(stringConsumer(kafka, "ops-unmetered")));
            OpsInterfaces.MeteredEvents events = new TracedOpsInterfaces_MeteredEvents(stringProducer(kafka), noop);
            for (int i = 1; i <= 3; i++) {
                events.sendUnmetered("noop-" + i, "quiet");
            }
            for (int i = 1; i <= 3; i++) {
                assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("noop-" + i);
            }
            assertThat(metered.metrics()).as("nothing measured by clients given OpenTelemetry.noop()").isEmpty();
            assertThat(metered.instrumentsBuilt()).isZero();
            assertThat(exporter.getFinishedSpanItems()).isEmpty();

            OpsInterfaces.MeteredEvents global = new TracedOpsInterfaces_MeteredEvents(stringProducer(kafka));
            global.sendUnmetered("global-1", "measured");
            assertThat(metered.count(SENT, attributes -> UNMETERED.equals(attributes.get(DESTINATION))))
                    .as("while a client following the global OpenTelemetry measures").isEqualTo(1);
        } finally {
            GlobalOpenTelemetry.resetForTest();
        }
    }

    private static void assertInstrument(MetricData metric, String unit, String description) {
        assertThat(metric.getUnit()).as(metric.getName()).isEqualTo(unit);
        assertThat(metric.getDescription()).as(metric.getName()).contains(description);
        assertThat(metric.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tracewire");
    }

    private static java.util.function.Predicate<Attributes> source(String source) {
        return attributes -> source.equals(attributes.get(CONTEXT_SOURCE));
    }

    private static void send(KafkaProducer<String, String> producer, String key, String header, String value)
            throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(HEALTH, key, "text");
        if (header != null) {
            record.headers().add(header, value.getBytes(StandardCharsets.UTF_8));
        }
        producer.send(record).get(30, TimeUnit.SECONDS);
    }
}
