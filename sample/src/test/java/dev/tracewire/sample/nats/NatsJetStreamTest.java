package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.FLAKY_JOBS;
import static dev.tracewire.sample.nats.NatsInterfaces.FLAKY_STREAM;
import static dev.tracewire.sample.nats.NatsInterfaces.ORDERS_STREAM;
import static dev.tracewire.sample.nats.NatsInterfaces.ORDER_CANCELLED;
import static dev.tracewire.sample.nats.NatsInterfaces.ORDER_PLACED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.sample.nats.NatsInterfaces.JobRejectedException;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** JetStream: acknowledged publishes carry stream and sequence; failed messages are redelivered and acknowledged once. */
class NatsJetStreamTest extends NatsTestBase {

    @Test
    void publishSpansCarryTheStreamAndSequenceOfTheAcknowledgement() throws Exception {
        Connection connection = connect();
        createStream(connection, ORDERS_STREAM, "e2e.orders.>");
        NatsInterfaces.OrderStream orders = new TracedNatsInterfaces_OrderStream(connection, options);

        Span caller = tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller);
        PublishAck placed;
        CompletableFuture<PublishAck> cancelled;
        Scope scope = callerContext.makeCurrent();
        try {
            placed = orders.placed(new Quote("ACME", 100));
            cancelled = orders.cancelled("order-1");
            assertThat(Context.current()).isSameAs(callerContext);
        } finally {
            scope.close();
            caller.end();
        }
        CompletableFuture<List<SpanData>> spansAtCompletion =
                cancelled.thenApply(ignored -> named(exporter.getFinishedSpanItems(), "publish " + ORDER_CANCELLED));
        PublishAck cancelledAck = cancelled.get(10, TimeUnit.SECONDS);

        assertThat(placed.getStream()).isEqualTo(ORDERS_STREAM);
        assertThat(cancelledAck.getStream()).isEqualTo(ORDERS_STREAM);
        assertThat(cancelledAck.getSeqno()).isGreaterThan(placed.getSeqno());
        assertThat(spansAtCompletion.get(10, TimeUnit.SECONDS)).as("the span ended before the future completed")
                .hasSize(1);
        SpanData placedSpan = awaitSpan("publish " + ORDER_PLACED);
        SpanData cancelledSpan = awaitSpan("publish " + ORDER_CANCELLED);
        for (SpanData span : List.of(placedSpan, cancelledSpan)) {
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(span.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            assertThat(span.getAttributes().get(SYSTEM)).isEqualTo("nats");
            assertThat(span.getAttributes().get(OPERATION_TYPE)).isEqualTo("send");
            assertThat(span.getAttributes().get(OPERATION_NAME)).isEqualTo("publish");
            assertThat(span.getAttributes().get(SERVER_ADDRESS)).isEqualTo("127.0.0.1");
            assertThat(span.getAttributes().get(SERVER_PORT)).isEqualTo((long) nats.port());
            assertThat(span.getAttributes().get(CLIENT_ID)).isNotBlank();
        }
        assertThat(placedSpan.getAttributes().get(DESTINATION)).isEqualTo(ORDER_PLACED);
        assertThat(placedSpan.getAttributes().get(STREAM)).isEqualTo(placed.getStream());
        assertThat(placedSpan.getAttributes().get(SEQUENCE)).isEqualTo(placed.getSeqno());
        assertThat(cancelledSpan.getAttributes().get(DESTINATION)).isEqualTo(ORDER_CANCELLED);
        assertThat(cancelledSpan.getAttributes().get(STREAM)).isEqualTo(cancelledAck.getStream());
        assertThat(cancelledSpan.getAttributes().get(SEQUENCE)).isEqualTo(cancelledAck.getSeqno());
    }

    @Test
    void aFailingMessageIsRedeliveredWithBackoffAndAcknowledgedOnceItSucceeds() throws Exception {
        Connection connection = connect();
        createStream(connection, FLAKY_STREAM, FLAKY_JOBS);
        AtomicInteger calls = new AtomicInteger();
        Subscription subscription = closeLater(new TracedNatsInterfaces_FlakyJobs(job -> {
            if (calls.incrementAndGet() <= 2) {
                throw new JobRejectedException("not yet: " + job);
            }
        }, options.toBuilder()
                .errorPolicy(ErrorPolicy.retry(5, Duration.ofMillis(50), Duration.ofMillis(200)))
                .build()).start(connect()));
        NatsInterfaces.OrderStream publisher = new TracedNatsInterfaces_OrderStream(connection, options);

        Span caller = tracer().spanBuilder("caller").startSpan();
        Scope scope = caller.makeCurrent();
        try {
            publisher.job("job-1");
        } finally {
            scope.close();
            caller.end();
        }

        SpanData publish = awaitSpan("publish " + FLAKY_JOBS);
        List<SpanData> attempts = awaitSpans("process " + FLAKY_JOBS, 3).stream()
                .sorted(Comparator.comparing(span -> span.getAttributes().get(DELIVERY_COUNT)))
                .toList();
        assertThat(publish.getAttributes().get(STREAM)).isEqualTo(FLAKY_STREAM);
        assertThat(publish.getAttributes().get(SEQUENCE)).isEqualTo(1L);
        assertThat(attempts).extracting(span -> span.getAttributes().get(DELIVERY_COUNT))
                .containsExactly(1L, 2L, 3L);
        assertThat(attempts).extracting(span -> span.getStatus().getStatusCode())
                .containsExactly(StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET);
        for (SpanData attempt : attempts) {
            assertThat(attempt.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(attempt.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
            assertThat(attempt.getParentSpanId()).isEqualTo(publish.getSpanId());
            assertThat(attempt.getAttributes().get(DESTINATION)).isEqualTo(FLAKY_JOBS);
            assertThat(attempt.getAttributes().get(GROUP)).isEqualTo("e2e-flaky");
            assertThat(attempt.getAttributes().get(STREAM)).isEqualTo(FLAKY_STREAM);
            assertThat(attempt.getAttributes().get(SEQUENCE)).isEqualTo(1L);
        }
        assertThat(attempts.subList(0, 2)).allSatisfy(failed -> {
            assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo(JobRejectedException.class.getName());
            assertThat(failed.getEvents()).anyMatch(event -> event.getName().equals("exception"));
        });
        // The backoff doubles: the third delivery came at least 50 + 100 ms after the first.
        assertThat(attempts.get(2).getStartEpochNanos() - attempts.get(0).getStartEpochNanos())
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));

        // Acknowledged: the server has nothing pending or unacknowledged for the durable consumer.
        JetStreamManagement management = connection.jetStreamManagement();
        List<String> consumers = management.getConsumerNames(FLAKY_STREAM);
        assertThat(consumers).hasSize(1);
        await(Duration.ofSeconds(10), "the job acknowledged", () -> {
            try {
                ConsumerInfo info = management.getConsumerInfo(FLAKY_STREAM, consumers.get(0));
                return info.getNumAckPending() == 0 && info.getNumPending() == 0
                        && info.getAckFloor().getStreamSequence() == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ConsumerInfo info = management.getConsumerInfo(FLAKY_STREAM, consumers.get(0));
        // retry(5) then stops: no server-side bound, which would drop the message the policy stops on
        // instead of leaving it to the durable's next consumer (NatsErrorPolicyTest covers both).
        assertThat(info.getConsumerConfiguration().getMaxDeliver()).as("no redelivery bound").isEqualTo(-1);
        assertThat(info.getConsumerConfiguration().getDeliverGroup()).isEqualTo("e2e-flaky");
        // Well past the longest backoff, nothing came again.
        Thread.sleep(500);
        assertThat(calls).hasValue(3);
        assertThat(named(exporter.getFinishedSpanItems(), "process " + FLAKY_JOBS)).hasSize(3);
        assertThat(subscription.isRunning()).isTrue();
    }
}
