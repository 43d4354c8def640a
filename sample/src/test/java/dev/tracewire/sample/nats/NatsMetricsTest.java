package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsOpsInterfaces.HEALTH;
import static dev.tracewire.sample.nats.NatsOpsInterfaces.METERED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.support.MeteredTelemetry;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The messaging metrics and the propagation-health counter of generated NATS clients on the real
 * {@code nats-server}, read with the SDK's in-memory metric reader: names, units, bucket
 * boundaries, the exact attribute sets, counts equal to the messages, instruments built once per
 * client; and every context source, the payload-embedded one included.
 */
class NatsMetricsTest extends NatsTestBase {

    private static final String OPERATION_DURATION = "messaging.client.operation.duration";
    private static final String SENT = "messaging.client.sent.messages";
    private static final String CONSUMED = "messaging.client.consumed.messages";
    private static final String PROCESS_DURATION = "messaging.process.duration";
    private static final String PROPAGATION = "tracewire.propagation.messages";
    private static final List<Double> DURATION_BUCKETS =
            List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
    private static final AttributeKey<String> CONTEXT_SOURCE = AttributeKey.stringKey("tracewire.context.source");
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

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
    void publishedAndProcessedMessagesAreMeasuredWithTheConventionsNamesUnitsBucketsAndAttributes() throws Exception {
        TracewireOptions measured = TracewireOptions.builder().openTelemetry(metered)
                .errorPolicy(ErrorPolicy.skip()).build();
        Connection subscriberConnection = connect();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsOpsInterfaces_MeteredHandler(text -> {
            handled.add(text);
            if (text.equals("reject")) {
                throw new IllegalStateException("rejected");
            }
        }, measured).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        NatsOpsInterfaces.MeteredPublisher publisher =
                new TracedNatsOpsInterfaces_MeteredPublisher(connect(), measured);
        int instrumentsOfTwoClients = metered.instrumentsBuilt();

        for (int i = 1; i <= 5; i++) {
            publisher.publish("fine " + i);
        }
        publisher.publish("reject");
        assertThatThrownBy(() -> publisher.publish("x".repeat(1_100_000))).as("more than the server's max_payload")
                .isInstanceOf(IllegalArgumentException.class);
        for (int i = 1; i <= 6; i++) {
            assertThat(handled.poll(30, TimeUnit.SECONDS)).isNotNull();
        }
        metered.awaitCount(CONSUMED, any -> true, 6);
        metered.describe().forEach(line -> System.out.println("[tracewire tests] exported: " + line));

        Attributes send = Attributes.builder()
                .put(SYSTEM, "nats").put(DESTINATION, METERED)
                .put(OPERATION_NAME, "publish").put(OPERATION_TYPE, "send")
                .put(SERVER_ADDRESS, "127.0.0.1").put(SERVER_PORT, (long) nats.port())
                .build();
        Attributes failedSend = send.toBuilder().put(ERROR_TYPE, IllegalArgumentException.class.getName()).build();
        Attributes process = Attributes.builder()
                .put(SYSTEM, "nats").put(DESTINATION, METERED)
                .put(OPERATION_NAME, "process").put(OPERATION_TYPE, "process").put(GROUP, "ops-nats-metered")
                .put(SERVER_ADDRESS, "127.0.0.1").put(SERVER_PORT, (long) nats.port())
                .build();
        Attributes failedProcess = process.toBuilder().put(ERROR_TYPE, IllegalStateException.class.getName()).build();

        assertThat(metered.metric(OPERATION_DURATION).getUnit()).isEqualTo("s");
        assertThat(metered.metric(PROCESS_DURATION).getUnit()).isEqualTo("s");
        assertThat(metered.metric(SENT).getUnit()).isEqualTo("{message}");
        assertThat(metered.metric(CONSUMED).getUnit()).isEqualTo("{message}");
        assertThat(metered.metric(PROPAGATION).getUnit()).isEqualTo("{message}");
        assertThat(metered.histogramPoints(OPERATION_DURATION, any -> true))
                .extracting(HistogramPointData::getAttributes).containsExactlyInAnyOrder(send, failedSend);
        assertThat(metered.histogramPoints(OPERATION_DURATION, send::equals)).singleElement().satisfies(point -> {
            assertThat(point.getCount()).isEqualTo(6);
            assertThat(point.getBoundaries()).isEqualTo(DURATION_BUCKETS);
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
        assertThat(metered.count(CONSUMED, process::equals)).isEqualTo(5);
        assertThat(metered.count(CONSUMED, failedProcess::equals)).isEqualTo(1);
        assertThat(metered.counterPoints(PROPAGATION, any -> true)).singleElement().satisfies(point -> {
            assertThat(point.getAttributes()).isEqualTo(Attributes.of(SYSTEM, "nats", DESTINATION, METERED,
                    CONTEXT_SOURCE, "header"));
            assertThat(point.getValue()).isEqualTo(6);
        });
        assertThat(metered.instrumentsBuilt()).as("built once per client (publisher, consumer), not per message")
                .isEqualTo(instrumentsOfTwoClients).isEqualTo(10);
    }

    @Test
    void theConsumedMessagesAreCountedByWhatCarriedTheirContextThePayloadIncluded() throws Exception {
        TracewireOptions measured = TracewireOptions.builder().openTelemetry(metered).build();
        Connection subscriberConnection = connect();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsOpsInterfaces_HealthHandler(handled::add, measured).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection peer = connect();
        String field = "\"_otel_trace_headers\":";

        peer.publish(HEALTH, new Headers().put("traceparent", TRACEPARENT), text("header"));
        peer.publish(HEALTH, new Headers().put("traceparent", TRACEPARENT),
                text("{\"note\":\"header and field\"," + field + "{\"traceparent\":\"" + TRACEPARENT + "\"}}"));
        peer.publish(HEALTH, text("{\"note\":\"field\"," + field + "{\"traceparent\":\"" + TRACEPARENT + "\"}}"));
        peer.publish(HEALTH, text("nothing"));
        peer.publish(HEALTH, new Headers().put("baggage", "k=v"), text("baggage alone"));
        peer.publish(HEALTH, new Headers().put("traceparent", "00-not-a-trace-01"), text("bad header"));
        peer.publish(HEALTH, text("{\"note\":\"bad field\"," + field + "{\"traceparent\":\"garbage\"}}"));
        peer.flush(Duration.ofSeconds(5));
        for (int i = 0; i < 7; i++) {
            assertThat(handled.poll(30, TimeUnit.SECONDS)).isNotNull();
        }
        metered.awaitCount(PROPAGATION, any -> true, 7);

        assertThat(metered.count(PROPAGATION, source("header"))).as("headers win over the field").isEqualTo(2);
        assertThat(metered.count(PROPAGATION, source("payload"))).isEqualTo(1);
        assertThat(metered.count(PROPAGATION, source("absent"))).isEqualTo(2);
        assertThat(metered.count(PROPAGATION, source("invalid"))).as("a bad header, a bad field").isEqualTo(2);
        assertThat(metered.count(PROPAGATION, source("legacy"))).isZero();
        assertThat(metered.counterPoints(PROPAGATION, any -> true)).allSatisfy(point -> assertThat(
                point.getAttributes().asMap()).containsOnlyKeys(SYSTEM, DESTINATION, CONTEXT_SOURCE)
                .containsEntry(SYSTEM, "nats").containsEntry(DESTINATION, HEALTH));
    }

    private static Predicate<Attributes> source(String source) {
        return attributes -> source.equals(attributes.get(CONTEXT_SOURCE));
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
