package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsOpsInterfaces.ASKED;
import static dev.tracewire.sample.nats.NatsOpsInterfaces.DETAILS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What generated NATS clients put on their spans besides the messaging attributes, on the real
 * {@code nats-server}: {@code @SpanAttribute} parameters of publishes, requests, handlers and
 * responders, and the headers named by {@code captureHeaders} (and no other).
 */
class NatsSpanDetailsTest extends NatsTestBase {

    private static final AttributeKey<String> ORDER_TENANT = AttributeKey.stringKey("order.tenant");
    private static final AttributeKey<Long> ORDER_PRIORITY = AttributeKey.longKey("order.priority");
    private static final AttributeKey<Double> ORDER_WEIGHT = AttributeKey.doubleKey("order.weight");
    private static final AttributeKey<Long> ORDER_ATTEMPT = AttributeKey.longKey("order.attempt");
    private static final AttributeKey<String> HEADER_TENANT = AttributeKey.stringKey("messaging.header.tenant");

    @Test
    void spanAttributeParametersAreStartAttributesOfPublishRequestAndProcessSpans() throws Exception {
        BlockingQueue<String> handled = start(options);
        NatsOpsInterfaces.DetailedPublisher publisher = new TracedNatsOpsInterfaces_DetailedPublisher(connect(), options);

        publisher.placed("p-1", "acme", "s3cret", 9L, 1.5f);
        publisher.placed("p-2", null, null, 0L, null);
        assertThat(publisher.ask("q-1", "acme", (short) 2)).isEqualTo("answer to q-1");
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("p-1");
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("p-2");

        List<SpanData> publishes = awaitSpans("publish " + DETAILS, 2);
        assertThat(publishes.get(0).getAttributes().asMap()).containsEntry(ORDER_TENANT, "acme")
                .containsEntry(ORDER_PRIORITY, 9L).containsEntry(ORDER_WEIGHT, 1.5);
        assertThat(publishes.get(1).getAttributes().asMap()).as("null arguments record nothing")
                .containsEntry(ORDER_PRIORITY, 0L).doesNotContainKeys(ORDER_TENANT, ORDER_WEIGHT);
        List<SpanData> processes = awaitSpans("process " + DETAILS, 2);
        assertThat(processes.get(0).getAttributes().asMap()).as("from the message's header")
                .containsEntry(ORDER_TENANT, "acme").doesNotContainKeys(ORDER_PRIORITY, ORDER_WEIGHT);
        assertThat(processes.get(1).getAttributes().asMap()).doesNotContainKey(ORDER_TENANT);
        assertThat(awaitSpan("request " + ASKED).getAttributes().asMap()).containsEntry(ORDER_TENANT, "acme")
                .containsEntry(ORDER_ATTEMPT, 2L);
        assertThat(awaitSpan("process " + ASKED).getAttributes().asMap()).as("the responder's span")
                .containsEntry(ORDER_TENANT, "acme").doesNotContainKey(ORDER_ATTEMPT);
        assertThat(exporter.getFinishedSpanItems()).flatExtracting(span -> span.getAttributes().asMap().keySet())
                .as("no header is captured unless named").noneMatch(key -> key.getKey().startsWith("messaging.header."));
    }

    @Test
    void onlyTheNamedHeadersAreCapturedOnPublishAndProcessSpansCutAt256Characters() throws Exception {
        TracewireOptions capturing = options.toBuilder().captureHeaders("tenant").build();
        BlockingQueue<String> handled = start(capturing);
        NatsOpsInterfaces.DetailedPublisher publisher =
                new TracedNatsOpsInterfaces_DetailedPublisher(connect(), capturing);

        publisher.placed("c-1", "t".repeat(300), "s3cret", 1L, null);
        Connection peer = connect();
        peer.publish(DETAILS, new Headers().put("tenant", "beta").put("secret", "s3cret"),
                "c-2".getBytes(StandardCharsets.UTF_8));
        peer.flush(Duration.ofSeconds(5));
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("c-1");
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("c-2");

        SpanData publish = awaitSpan("publish " + DETAILS);
        List<SpanData> processes = awaitSpans("process " + DETAILS, 2);
        assertThat(publish.getAttributes().asMap()).containsEntry(HEADER_TENANT, "t".repeat(256));
        assertThat(processes.get(0).getAttributes().asMap()).containsEntry(HEADER_TENANT, "t".repeat(256));
        assertThat(processes.get(1).getAttributes().asMap()).containsEntry(HEADER_TENANT, "beta");
        assertThat(exporter.getFinishedSpanItems()).flatExtracting(span -> span.getAttributes().asMap().keySet())
                .filteredOn(key -> key.getKey().startsWith("messaging.header."))
                .as("never a header that was not named, never a propagation header").containsOnly(HEADER_TENANT);
    }

    /** Starts the detailed handler; the orders it handles land in the queue, and it answers questions. */
    private BlockingQueue<String> start(TracewireOptions with) throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        Connection connection = connect();
        closeLater(new TracedNatsOpsInterfaces_DetailedHandler(new NatsOpsInterfaces.DetailedHandler() {
            @Override
            public void onPlaced(String order, String tenant) {
                handled.add(order);
            }

            @Override
            public String answer(String question, String tenant) {
                return "answer to " + question;
            }
        }, with).start(connection));
        connection.flush(Duration.ofSeconds(5));
        return handled;
    }
}
