package dev.tracewire.sample.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.TracewireThreads;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} of a generated NATS consumer's subscription returns within
 * {@link NatsOptions#closeTimeout()} on a real server, when a handler is slower than that and when
 * the server is gone; a JetStream message interrupted by it is delivered again at once.
 */
class NatsCloseTest extends NatsTestBase {

    static final String SLOW = "e2e.close.slow";
    static final String SLOW_STREAM = "E2E_CLOSE";
    static final String SLOW_JOBS = "e2e.close.jobs";
    static final String GONE = "e2e.close.gone";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    /** What a close may take beyond its timeout on this busy machine (scheduling, not waiting). */
    private static final Duration MARGIN = Duration.ofMillis(700);

    @TracedConsumer(group = "e2e-close-slow")
    interface SlowHandler {
        @Subject(SLOW)
        void onText(String text) throws InterruptedException;
    }

    @TracedConsumer(group = "e2e-close-jobs")
    interface SlowJobs {
        @Subject(value = SLOW_JOBS, stream = SLOW_STREAM)
        void onJob(String job) throws InterruptedException;
    }

    @TracedConsumer(group = "e2e-close-gone")
    interface GoneHandler {
        @Subject(GONE)
        void onText(String text);
    }

    @Test
    void closeReturnsWithinItsTimeoutWhileAHandlerIsSlower() throws Exception {
        Connection connection = connect();
        Set<String> threadsBefore = TracewireThreads.alive();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        CountDownLatch slowStarted = new CountDownLatch(1);
        Subscription subscription = new TracedNatsCloseTest_SlowHandler(text -> {
            if (text.startsWith("slow")) {
                slowStarted.countDown();
                Thread.sleep(60_000);
            }
            handled.add(text);
        }, closingWithin(CLOSE_TIMEOUT)).start(connection);
        for (String text : new String[] {"fast-0", "slow-1", "fast-2"}) {
            connection.publish(SLOW, text.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).as("the slow message is in flight").isTrue();

        Duration took = timed(subscription::close);

        System.out.printf("[tracewire tests] NATS close with a handler slower than closeTimeout %d ms: %d ms%n",
                CLOSE_TIMEOUT.toMillis(), took.toMillis());
        assertThat(took).as("close() with a handler that would take a minute").isLessThan(CLOSE_TIMEOUT.plus(MARGIN));
        assertThat(subscription.isRunning()).isFalse();
        assertThat(TracewireThreads.awaitOnly(threadsBefore, Duration.ofSeconds(1))).as("tracewire threads left")
                .isEmpty();
        assertThat(handled).as("core NATS: what was not handled by then is gone").containsExactly("fast-0");
        SpanData interrupted = awaitSpans(spans -> spans.stream().anyMatch(NatsCloseTest::isError)).stream()
                .filter(NatsCloseTest::isError).findFirst().orElseThrow();
        assertThat(interrupted.getAttributes().get(ERROR_TYPE)).isEqualTo(InterruptedException.class.getName());
    }

    /**
     * Under a policy that dead-letters failed messages: the interruption is the close's doing, not
     * the message's failure, so it is not dead-lettered (and acknowledged) but handed back.
     */
    @Test
    void aJetStreamMessageInterruptedByCloseGoesToTheNextConsumerAtOnce() throws Exception {
        Connection connection = connect();
        createStream(connection, SLOW_STREAM, SLOW_JOBS);
        io.nats.client.Subscription deadLetters = connection.subscribe("dlq." + SLOW_JOBS);
        connection.flush(Duration.ofSeconds(5));
        TracewireOptions deadLettering = options.toBuilder()
                .errorPolicy(ErrorPolicy.deadLetter())
                .with(NatsOptions.builder().closeTimeout(CLOSE_TIMEOUT)
                        .deadLetters(NatsDeadLetters.toSubject(subject -> "dlq." + subject)).build())
                .build();
        CountDownLatch slowStarted = new CountDownLatch(1);
        Subscription first = new TracedNatsCloseTest_SlowJobs(job -> {
            slowStarted.countDown();
            Thread.sleep(60_000);
        }, deadLettering).start(connect());
        connection.jetStream().publish(SLOW_JOBS, "job-1".getBytes(StandardCharsets.UTF_8));
        assertThat(slowStarted.await(10, TimeUnit.SECONDS)).as("the job is in flight").isTrue();

        Duration took = timed(first::close);

        System.out.printf("[tracewire tests] JetStream close with a handler slower than closeTimeout %d ms: %d ms%n",
                CLOSE_TIMEOUT.toMillis(), took.toMillis());
        assertThat(took).isLessThan(CLOSE_TIMEOUT.plus(MARGIN));
        BlockingQueue<String> next = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsCloseTest_SlowJobs(next::add, deadLettering).start(connect()));
        assertThat(next.poll(5, TimeUnit.SECONDS)).as("delivered again well before the 30 s ack wait")
                .isEqualTo("job-1");
        assertThat(deadLetters.nextMessage(Duration.ofMillis(200))).as("a dead letter").isNull();
    }

    @Test
    void closeReturnsWithinItsTimeoutWhenTheServerIsGone() throws Exception {
        Set<String> threadsBefore = TracewireThreads.alive();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        Subscription subscription;
        Connection connection;
        try (NatsServerProcess doomed = NatsServerProcess.start()) {
            connection = Nats.connect(Options.builder().server(doomed.url()).maxReconnects(-1).build());
            closeLater(connection::close);
            subscription = new TracedNatsCloseTest_GoneHandler(handled::add, closingWithin(CLOSE_TIMEOUT))
                    .start(connection);
            connection.publish(GONE, "before".getBytes(StandardCharsets.UTF_8));
            assertThat(handled.poll(10, TimeUnit.SECONDS)).as("the subscription works").isEqualTo("before");
        }
        await(Duration.ofSeconds(10), "the client notices", () -> connection.getStatus() != Connection.Status.CONNECTED);

        Duration took = timed(subscription::close);

        System.out.printf("[tracewire tests] NATS close with the server gone, closeTimeout %d ms: %d ms%n",
                CLOSE_TIMEOUT.toMillis(), took.toMillis());
        assertThat(took).as("close() with the server gone").isLessThan(CLOSE_TIMEOUT.plus(MARGIN));
        assertThat(subscription.isRunning()).isFalse();
        assertThat(TracewireThreads.awaitOnly(threadsBefore, Duration.ofSeconds(1))).as("tracewire threads left")
                .isEmpty();
    }

    private TracewireOptions closingWithin(Duration closeTimeout) {
        return options.toBuilder().with(NatsOptions.builder().closeTimeout(closeTimeout).build()).build();
    }

    private static Duration timed(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static boolean isError(SpanData span) {
        return span.getStatus().getStatusCode() == StatusCode.ERROR;
    }
}
