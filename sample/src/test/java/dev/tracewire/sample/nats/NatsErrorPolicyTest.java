package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsEdgeInterfaces.EXHAUST_JOBS;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.EXHAUST_STREAM;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.FRAGILE;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.HALT_JOBS;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.HALT_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What the error policy does with a handler that fails: on JetStream (give up, stop) and on core NATS. */
class NatsErrorPolicyTest extends NatsTestBase {

    @Test
    void jetStreamRetriesUpToTheBoundThenTerminatesTheMessage() throws Exception {
        Connection connection = connect();
        createStream(connection, EXHAUST_STREAM, EXHAUST_JOBS);
        AtomicInteger calls = new AtomicInteger();
        Subscription subscription = closeLater(new TracedNatsEdgeInterfaces_ExhaustingJobs(job -> {
            calls.incrementAndGet();
            throw new IllegalStateException("never: " + job);
        }, options.toBuilder()
                .errorPolicy(ErrorPolicy.retry(2, Duration.ofMillis(50), Duration.ofMillis(100)).thenSkip())
                .build()).start(connect()));

        new TracedNatsEdgeInterfaces_EdgePublisher(connection, options).exhaust("job-1");

        List<SpanData> attempts = awaitSpans("process " + EXHAUST_JOBS, 2).stream()
                .sorted(Comparator.comparing(span -> span.getAttributes().get(DELIVERY_COUNT)))
                .toList();
        assertThat(attempts).extracting(span -> span.getAttributes().get(DELIVERY_COUNT)).containsExactly(1L, 2L);
        assertThat(attempts).allSatisfy(span -> {
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
            assertThat(span.getAttributes().get(SEQUENCE)).isEqualTo(1L);
        });

        // Terminated: the server has nothing pending, unacknowledged or due for redelivery.
        JetStreamManagement management = connection.jetStreamManagement();
        List<String> consumers = management.getConsumerNames(EXHAUST_STREAM);
        assertThat(consumers).hasSize(1);
        await(Duration.ofSeconds(10), "the job terminated", () -> {
            ConsumerInfo info = consumerInfo(management, EXHAUST_STREAM, consumers.get(0));
            return info.getNumAckPending() == 0 && info.getNumPending() == 0 && info.getRedelivered() == 0;
        });
        ConsumerInfo info = consumerInfo(management, EXHAUST_STREAM, consumers.get(0));
        assertThat(info.getConsumerConfiguration().getMaxDeliver()).as("terminated by the policy, not by a bound")
                .isEqualTo(-1);
        assertThat(info.getDelivered().getStreamSequence()).isEqualTo(1L);
        // Well past the longest backoff (100 ms), no third delivery came.
        Thread.sleep(600);
        assertThat(calls).hasValue(2);
        assertThat(named(exporter.getFinishedSpanItems(), "process " + EXHAUST_JOBS)).hasSize(2);
        assertThat(subscription.isRunning()).as("skipping does not stop the consumer").isTrue();
        assertThat(subscription.failure()).isEmpty();
    }

    @Test
    void jetStreamKeepsAMessageWhoseConsumerDiedBeforeAcknowledgingItEvenWhenThePolicySkips() throws Exception {
        Connection connection = connect();
        createStream(connection, EXHAUST_STREAM, EXHAUST_JOBS);
        ErrorPolicy skip = ErrorPolicy.skip();
        CountDownLatch handling = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        Connection dying = Nats.connect(nats.url());
        try {
            new TracedNatsEdgeInterfaces_ExhaustingJobs(job -> {
                handling.countDown();
                try {
                    released.await(); // the process dies while this handler runs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, options.toBuilder().errorPolicy(skip).build()).start(dying);
            // A short ack wait on the durable the subscription created, so that the server notices soon.
            JetStreamManagement management = connection.jetStreamManagement();
            String durable = management.getConsumerNames(EXHAUST_STREAM).get(0);
            ConsumerInfo created = consumerInfo(management, EXHAUST_STREAM, durable);
            management.addOrUpdateConsumer(EXHAUST_STREAM, ConsumerConfiguration.builder(
                    created.getConsumerConfiguration()).ackWait(Duration.ofSeconds(1)).build());

            new TracedNatsEdgeInterfaces_EdgePublisher(connection, options).exhaust("job-1");
            assertThat(handling.await(10, TimeUnit.SECONDS)).as("delivered to the first consumer").isTrue();
            dying.close(); // gone without acknowledging: no ack, no nak, no term

            BlockingQueue<String> again = new LinkedBlockingQueue<>();
            closeLater(new TracedNatsEdgeInterfaces_ExhaustingJobs(again::add,
                    options.toBuilder().errorPolicy(skip).build()).start(connect()));
            assertThat(again.poll(20, TimeUnit.SECONDS)).as("redelivered to the durable's next consumer")
                    .isEqualTo("job-1");
            // The redelivery's span ends after its handler returns; the first delivery's span may end first (closing
            // the dying connection can interrupt its handler), so wait for a redelivery's span by its count (2, or
            // more if the server redelivered to the dying connection once more before it closed).
            SpanData second = redelivered(awaitSpans(spans -> !redelivered(spans).isEmpty())).get(0);
            assertThat(second.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            await(Duration.ofSeconds(10), "the job acknowledged", () ->
                    consumerInfo(management, EXHAUST_STREAM, durable).getAckFloor().getStreamSequence() == 1);
        } finally {
            released.countDown();
            dying.close();
        }
    }

    private static List<SpanData> redelivered(List<SpanData> spans) {
        return named(spans, "process " + EXHAUST_JOBS).stream()
                .filter(span -> span.getAttributes().get(DELIVERY_COUNT) != null
                        && span.getAttributes().get(DELIVERY_COUNT) >= 2)
                .toList();
    }

    @Test
    void jetStreamStopsAtTheFirstFailureAndTheNextConsumerOfTheDurableGetsTheMessageAgain() throws Exception {
        Connection connection = connect();
        createStream(connection, HALT_STREAM, HALT_JOBS);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        Subscription stopping = closeLater(new TracedNatsEdgeInterfaces_HaltingJobs(job -> {
            calls.incrementAndGet();
            RuntimeException failure = new IllegalStateException("halt on " + job);
            thrown.compareAndSet(null, failure);
            throw failure;
        }, options.toBuilder().errorPolicy(ErrorPolicy.stop()).build()).start(connect()));

        new TracedNatsEdgeInterfaces_EdgePublisher(connection, options).halt("job-1");

        assertThat(stopping.awaitTermination(Duration.ofSeconds(30))).as("stopped by the policy").isTrue();
        assertThat(stopping.isRunning()).isFalse();
        assertThat(stopping.failure()).as("the handler's exception").containsSame(thrown.get());
        SpanData failed = awaitSpan("process " + HALT_JOBS);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(DELIVERY_COUNT)).isEqualTo(1L);
        assertThat(calls).as("not handled again by the stopped consumer").hasValue(1);

        // Not acknowledged: the durable consumer still owes the message, and a new subscription gets it again.
        JetStreamManagement management = connection.jetStreamManagement();
        List<String> consumers = management.getConsumerNames(HALT_STREAM);
        assertThat(consumers).hasSize(1);
        ConsumerInfo stopped = consumerInfo(management, HALT_STREAM, consumers.get(0));
        assertThat(stopped.getAckFloor().getStreamSequence()).as("nothing acknowledged").isZero();

        BlockingQueue<String> again = new LinkedBlockingQueue<>();
        Subscription next = closeLater(new TracedNatsEdgeInterfaces_HaltingJobs(again::add,
                options.toBuilder().errorPolicy(ErrorPolicy.stop()).build()).start(connect()));
        assertThat(again.poll(30, TimeUnit.SECONDS)).as("redelivered to the next consumer").isEqualTo("job-1");
        List<SpanData> attempts = awaitSpans("process " + HALT_JOBS, 2).stream()
                .sorted(Comparator.comparing(span -> span.getAttributes().get(DELIVERY_COUNT)))
                .toList();
        assertThat(attempts).extracting(span -> span.getAttributes().get(DELIVERY_COUNT)).containsExactly(1L, 2L);
        assertThat(attempts.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(management.getConsumerNames(HALT_STREAM)).as("the same durable").isEqualTo(consumers);
        await(Duration.ofSeconds(10), "the job acknowledged", () ->
                consumerInfo(management, HALT_STREAM, consumers.get(0)).getAckFloor().getStreamSequence() == 1);
        assertThat(next.isRunning()).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void coreNatsStopsAtTheFirstFailureWhenThePolicySaysStop() throws Exception {
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        Connection subscriberConnection = connect();
        Subscription subscription = closeLater(new TracedNatsEdgeInterfaces_Fragile(text -> {
            calls.incrementAndGet();
            RuntimeException failure = new IllegalStateException("fragile: " + text);
            thrown.compareAndSet(null, failure);
            throw failure;
        }, options.toBuilder().errorPolicy(ErrorPolicy.stop()).build()).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection publisherConnection = connect();
        NatsEdgeInterfaces.EdgePublisher publisher =
                new TracedNatsEdgeInterfaces_EdgePublisher(publisherConnection, options);

        publisher.fragile("boom");

        assertThat(subscription.awaitTermination(Duration.ofSeconds(30))).as("stopped by the policy").isTrue();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).containsSame(thrown.get());
        SpanData failed = awaitSpan("process " + FRAGILE);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());

        // Unsubscribed: later messages reach nobody.
        publisher.fragile("after");
        publisherConnection.flush(Duration.ofSeconds(5));
        Thread.sleep(300);
        assertThat(calls).hasValue(1);
        assertThat(named(exporter.getFinishedSpanItems(), "process " + FRAGILE)).hasSize(1);
    }

    @Test
    void coreNatsDropsAFailedMessageByDefaultAndHandlesTheNextOne() throws Exception {
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        Connection subscriberConnection = connect();
        Subscription subscription = closeLater(new TracedNatsEdgeInterfaces_Fragile(text -> {
            if (text.startsWith("boom")) {
                throw new IllegalStateException("fragile: " + text);
            }
            handled.add(text);
        }, options).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        NatsEdgeInterfaces.EdgePublisher publisher = new TracedNatsEdgeInterfaces_EdgePublisher(connect(), options);

        publisher.fragile("boom-1");
        publisher.fragile("fine-1");

        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("fine-1");
        List<SpanData> spans = awaitSpans("process " + FRAGILE, 2);
        assertThat(spans).extracting(span -> span.getStatus().getStatusCode())
                .containsExactlyInAnyOrder(StatusCode.ERROR, StatusCode.UNSET);
        assertThat(subscription.isRunning()).isTrue();
        assertThat(subscription.failure()).isEmpty();
        // Dropped, not delivered again: core NATS cannot.
        Thread.sleep(300);
        assertThat(named(exporter.getFinishedSpanItems(), "process " + FRAGILE)).hasSize(2);
        assertThat(handled).isEmpty();
    }
}
