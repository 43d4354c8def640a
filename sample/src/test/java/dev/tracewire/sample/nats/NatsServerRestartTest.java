package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsFaultInterfaces.JOBS;
import static dev.tracewire.sample.nats.NatsFaultInterfaces.NEWS;
import static dev.tracewire.sample.nats.NatsFaultInterfaces.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.NatsServerProcess;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Server faults (issue 10, item 6): a {@code nats-server} of the test's own, with a file-stored
 * JetStream stream, is stopped while a generated publisher publishes (JetStream jobs, blocking and
 * asynchronous, and core NATS news) and a generated consumer consumes, and started again on the
 * same port with the same store. No acknowledged job may be lost, the consumer's subscriptions
 * (a durable JetStream push consumer and a core queue subscription) must resume on their own, and
 * every publish that failed must be an ERROR span whose caller saw the failure.
 *
 * <p>What jnats (2.26) does while the server is away, as this test found and asserts:
 * <ul>
 *   <li>A core publish succeeds: jnats keeps it in its reconnect buffer and sends it once
 *       reconnected. Whether it is delivered depends on whether the consumer's connection is back
 *       by then; a message that arrives before the subscription is lost, as core NATS promises.</li>
 *   <li>A blocking JetStream publish fails with an {@code IOException} (thrown unchecked) after the
 *       request timeout, the connection timeout unless set. The message stays in the reconnect
 *       buffer, though, and is usually stored after the reconnect: a failure the caller saw does
 *       not mean the message is absent (a retry makes a duplicate unless it sets a message id).</li>
 *   <li>An asynchronous JetStream publish fails with a {@code CancellationException} when jnats's
 *       request clean-up finds it timed out ({@code requestCleanupInterval}, 5 s by default).</li>
 * </ul>
 * The server is stopped with SIGTERM, a clean shutdown that flushes its store: what a crash may
 * lose depends on nats-server's own sync settings, not on tracewire. When the server stays away
 * longer than jnats tries to reconnect, the connection closes and the consumer must say it stopped.
 */
@Tag("faults")
class NatsServerRestartTest {

    private static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("messaging.nats.sequence");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(30);
    /** How long a JetStream publish waits for its acknowledgement: the connection timeout, in jnats. */
    private static final Duration PUBLISH_TIMEOUT = Duration.ofMillis(500);
    private static final int MESSAGES_PER_PHASE = 50;

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private OpenTelemetrySdk sdk;
    private TracewireOptions options;

    /** When a publish happened: before the stop, while the server was down (or coming back), after the restart. */
    enum Phase { BEFORE, DOWN, AFTER }

    /**
     * One publish through the generated publisher, inside a caller span of its own: what the caller
     * got back (a blocking publish's outcome as a completed future).
     */
    record Attempt(String id, Phase phase, String callerSpanId, CompletableFuture<PublishAck> result) {

        boolean failed() {
            return result.isCompletedExceptionally();
        }

        /** The stream's acknowledgement; null for a core publish, or one that failed or is pending. */
        PublishAck ack() {
            return result.isDone() && !failed() ? result.join() : null;
        }

        /** What the caller saw fail. */
        Throwable failure() {
            return result.handle((ack, failure) -> failure).join();
        }
    }

    @BeforeEach
    void createSdk() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        options = TracewireOptions.builder().openTelemetry(sdk).build();
    }

    @AfterEach
    void closeEverything() throws Exception {
        try {
            while (!closeables.isEmpty()) {
                closeables.pop().close();
            }
        } finally {
            sdk.close();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void noAcknowledgedJobIsLostAndSubscriptionsResumeWhenTheServerRestarts() throws Exception {
        long began = System.nanoTime();
        Set<String> threadsBefore = tracewireThreads();
        NatsServerProcess nats = closeLater(NatsServerProcess.start());
        Connection publisherConnection = connect(nats);
        Connection consumerConnection = connect(nats);
        publisherConnection.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name(STREAM).subjects(JOBS).storageType(StorageType.File).build());

        Map<String, Integer> jobsHandled = new ConcurrentHashMap<>();
        Map<String, Integer> newsHandled = new ConcurrentHashMap<>();
        Subscription subscription = closeLater(new TracedNatsFaultInterfaces_FaultConsumer(
                new NatsFaultInterfaces.FaultConsumer() {
                    @Override
                    public void onJob(String job) {
                        jobsHandled.merge(job, 1, Integer::sum);
                    }

                    @Override
                    public void onNews(String item) {
                        newsHandled.merge(item, 1, Integer::sum);
                    }
                }, options).start(consumerConnection));
        Publisher publisher = new Publisher(
                new TracedNatsFaultInterfaces_FaultPublisher(publisherConnection, options), sdk.getTracer("test"));
        Thread publishing = new Thread(publisher, "fault-test-publisher");
        publishing.start();
        closeLater(() -> {
            publisher.stop();
            publishing.join(PHASE_TIMEOUT.toMillis());
        });

        await("jobs and news handled before the stop", () -> handled(publisher.jobs, Phase.BEFORE, jobsHandled)
                >= MESSAGES_PER_PHASE && handled(publisher.news, Phase.BEFORE, newsHandled) >= MESSAGES_PER_PHASE);
        publisher.phase = Phase.DOWN;
        nats.stop();
        await("blocking and asynchronous JetStream publishes failing while the server is down",
                () -> failedWhileDown(publisher, "job-") >= 3 && failedWhileDown(publisher, "later-") >= 1);
        nats.restart();
        publisher.phase = Phase.AFTER;
        await("both connections back", () -> publisherConnection.getStatus() == Connection.Status.CONNECTED
                && consumerConnection.getStatus() == Connection.Status.CONNECTED);
        await("jobs and news published after the restart handled by the same subscription",
                () -> handled(publisher.jobs, Phase.AFTER, jobsHandled) >= MESSAGES_PER_PHASE
                        && handled(publisher.news, Phase.AFTER, newsHandled) >= MESSAGES_PER_PHASE);
        publisher.stop();
        publishing.join(PHASE_TIMEOUT.toMillis());
        assertThat(publishing.isAlive()).as("the publisher stopped").isFalse();
        // Core NATS delivers to the subscriptions the server knows when the message arrives: once the
        // consumer's subscription is back, every later news item reaches it.
        List<Attempt> newsAfter = publisher.news.stream().filter(attempt -> attempt.phase == Phase.AFTER).toList();
        int firstHandledAfter = indexOfFirst(newsAfter, newsHandled);
        await("every news item published after the resubscription handled", () -> newsAfter
                .subList(firstHandledAfter, newsAfter.size()).stream()
                .allMatch(attempt -> newsHandled.containsKey(attempt.id)));

        await("every publish completed", () -> publisher.jobs.stream().allMatch(attempt -> attempt.result.isDone()));
        List<Attempt> acknowledged = publisher.jobs.stream().filter(attempt -> attempt.ack() != null).toList();
        await("every acknowledged job handled",
                () -> acknowledged.stream().allMatch(attempt -> jobsHandled.containsKey(attempt.id)));
        List<SpanData> spans = awaitSpans(all -> named(all, "publish " + JOBS).size() == publisher.jobs.size()
                && named(all, "publish " + NEWS).size() == publisher.news.size()
                && named(all, "process " + JOBS).size() >= acknowledged.size());
        printCounts(publisher, jobsHandled, newsHandled, began);

        assertThat(subscription.isRunning()).as("the consumer rode the restart out").isTrue();
        subscription.close();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(tracewireThreads()).as("tracewire threads left after close").isSubsetOf(threadsBefore);

        Map<String, SpanData> publishSpansByCaller = spans.stream()
                .filter(span -> span.getName().startsWith("publish "))
                .collect(Collectors.toMap(SpanData::getParentSpanId, Function.identity()));
        assertAcknowledgedJobsWereProcessedAsChildrenOfTheirPublishes(acknowledged, publishSpansByCaller,
                named(spans, "process " + JOBS));
        assertFailuresWereSeenByCallersAndRecorded(publisher, publishSpansByCaller);
        // jnats keeps what is published while it reconnects in its reconnect buffer and sends it once
        // connected again: a core publish during the gap succeeds for its caller (and its span).
        assertThat(publisher.news).as("core publishes while the server was down").filteredOn(
                attempt -> attempt.phase == Phase.DOWN).isNotEmpty().noneMatch(Attempt::failed);
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aConsumerWhoseConnectionGivesUpReconnectingSaysSoInsteadOfRunningOnDeaf() throws Exception {
        Set<String> threadsBefore = tracewireThreads();
        NatsServerProcess nats = closeLater(NatsServerProcess.start());
        Connection setup = connect(nats, -1);
        setup.jetStreamManagement().addStream(StreamConfiguration.builder()
                .name(STREAM).subjects(JOBS).storageType(StorageType.File).build());
        Connection givingUp = connect(nats, 2);
        Subscription subscription = closeLater(new TracedNatsFaultInterfaces_FaultConsumer(
                new NatsFaultInterfaces.FaultConsumer() {
                    @Override
                    public void onJob(String job) {
                    }

                    @Override
                    public void onNews(String item) {
                    }
                }, options).start(givingUp));

        nats.stop();
        await("the connection closed after its last reconnect attempt",
                () -> givingUp.getStatus() == Connection.Status.CLOSED);

        assertThat(subscription.awaitTermination(Duration.ofSeconds(10))).as("the consumer stopped").isTrue();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).get().asString().contains("lost its server");
        subscription.close();
        assertThat(tracewireThreads()).as("tracewire threads left after close").isSubsetOf(threadsBefore);
    }

    private static void assertAcknowledgedJobsWereProcessedAsChildrenOfTheirPublishes(List<Attempt> acknowledged,
            Map<String, SpanData> publishSpansByCaller, List<SpanData> processSpans) {
        Map<Long, List<SpanData>> processedBySequence = processSpans.stream()
                .collect(Collectors.groupingBy(span -> span.getAttributes().get(SEQUENCE)));
        for (Attempt attempt : acknowledged) {
            SpanData publish = publishSpansByCaller.get(attempt.callerSpanId);
            assertThat(publish.getStatus().getStatusCode()).as("publish span of %s", attempt.id)
                    .isEqualTo(StatusCode.UNSET);
            assertThat(publish.getAttributes().get(SEQUENCE)).isEqualTo(attempt.ack().getSeqno());
            assertThat(processedBySequence.get(attempt.ack().getSeqno()))
                    .as("process spans of acknowledged sequence %d", attempt.ack().getSeqno()).isNotEmpty()
                    .allSatisfy(process -> {
                        assertThat(process.getTraceId()).isEqualTo(publish.getTraceId());
                        assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
                    });
        }
    }

    private static void assertFailuresWereSeenByCallersAndRecorded(Publisher publisher,
            Map<String, SpanData> publishSpansByCaller) {
        List<Attempt> failed = failed(publisher.jobs, null);
        assertThat(failed).as("failed JetStream publishes").isNotEmpty();
        for (Attempt attempt : failed) {
            SpanData publish = publishSpansByCaller.get(attempt.callerSpanId);
            assertThat(publish.getStatus().getStatusCode()).as("publish span of failed %s", attempt.id)
                    .isEqualTo(StatusCode.ERROR);
            assertThat(publish.getAttributes().get(ERROR_TYPE)).isEqualTo(recorded(attempt.failure()).getName());
        }
        long errorSpans = publishSpansByCaller.values().stream()
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR).count();
        assertThat(errorSpans).as("ERROR publish spans, one per failure a caller saw")
                .isEqualTo(failed.size() + failed(publisher.news, null).size());
    }

    /**
     * What the span records for a failure its caller sees: the generated JetStream publisher
     * throws jnats's checked exceptions unchecked, and the span records the exception itself.
     */
    private static Class<?> recorded(Throwable seen) {
        return seen.getClass() == UncheckedIOException.class ? seen.getCause().getClass() : seen.getClass();
    }

    private static void printCounts(Publisher publisher, Map<String, Integer> jobsHandled,
            Map<String, Integer> newsHandled, long began) {
        String jobs = jobCounts("blocking", "job-", publisher, jobsHandled) + "; "
                + jobCounts("asynchronous", "later-", publisher, jobsHandled);
        String newsByPhase = Arrays.stream(Phase.values())
                .map(phase -> phase.name().toLowerCase(Locale.ROOT) + " " + handled(publisher.news, phase, newsHandled)
                        + "/" + publisher.news.stream().filter(attempt -> attempt.phase == phase).count())
                .collect(Collectors.joining(", "));
        System.out.printf("NATS server restart: JetStream jobs %s; handled %d distinct, duplicates %d. Core news:"
                        + " sent %d, failed %d, handled %d distinct, duplicates %d (handled/sent %s); %d ms%n",
                jobs, jobsHandled.size(), duplicates(jobsHandled), publisher.news.size(),
                failed(publisher.news, null).size(), newsHandled.size(), duplicates(newsHandled), newsByPhase,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    private static String jobCounts(String kind, String prefix, Publisher publisher, Map<String, Integer> handled) {
        List<Attempt> sent = publisher.jobs.stream().filter(attempt -> attempt.id.startsWith(prefix)).toList();
        List<Attempt> failed = sent.stream().filter(Attempt::failed).toList();
        return String.format("%s: sent %d, acknowledged %d, failed %d (stored and handled all the same: %d)", kind,
                sent.size(), sent.size() - failed.size(), failed.size(),
                failed.stream().filter(attempt -> handled.containsKey(attempt.id)).count());
    }

    private static int indexOfFirst(List<Attempt> attempts, Map<String, Integer> handled) {
        for (int i = 0; i < attempts.size(); i++) {
            if (handled.containsKey(attempts.get(i).id)) {
                return i;
            }
        }
        throw new AssertionError("none handled");
    }

    private static long handled(Queue<Attempt> attempts, Phase phase, Map<String, Integer> handled) {
        return attempts.stream().filter(attempt -> attempt.phase == phase && handled.containsKey(attempt.id)).count();
    }

    private static long failedWhileDown(Publisher publisher, String prefix) {
        return failed(publisher.jobs, Phase.DOWN).stream().filter(attempt -> attempt.id.startsWith(prefix)).count();
    }

    /** The failed attempts of {@code phase}, or of all phases for {@code null}. */
    private static List<Attempt> failed(Queue<Attempt> attempts, Phase phase) {
        return attempts.stream().filter(Attempt::failed)
                .filter(attempt -> phase == null || attempt.phase == phase).toList();
    }

    private static long duplicates(Map<String, Integer> handled) {
        return handled.values().stream().mapToInt(count -> count - 1).sum();
    }

    private Connection connect(NatsServerProcess nats) throws Exception {
        return connect(nats, -1);
    }

    /** A connection that tries to reconnect {@code maxReconnects} times (-1: for ever) before it closes. */
    private Connection connect(NatsServerProcess nats, int maxReconnects) throws Exception {
        Connection connection = Nats.connect(Options.builder()
                .server(nats.url())
                .connectionTimeout(PUBLISH_TIMEOUT)
                .reconnectWait(Duration.ofMillis(50))
                .maxReconnects(maxReconnects)
                // How often jnats fails the asynchronous requests that timed out (5 s by default).
                .requestCleanupInterval(Duration.ofMillis(250))
                // jnats logs every refused reconnect attempt as SEVERE; the test expects them.
                .errorListener(new ErrorListener() {
                })
                .build());
        closeLater(connection::close);
        return connection;
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.push(closeable);
        return closeable;
    }

    private List<SpanData> awaitSpans(Predicate<List<SpanData>> condition) throws Exception {
        await("spans", () -> condition.test(exporter.getFinishedSpanItems()));
        return exporter.getFinishedSpanItems();
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    private static Set<String> tracewireThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("tracewire-")).collect(Collectors.toSet());
    }

    /** Waits up to {@link #PHASE_TIMEOUT} until {@code condition} holds. */
    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while (!condition.call()) {
            assertThat(System.nanoTime() < deadline).as("timed out waiting for %s", what).isTrue();
            Thread.sleep(20);
        }
    }

    /** Publishes a news item and a job, again and again, each inside a caller span of its own. */
    private static final class Publisher implements Runnable {
        final Queue<Attempt> jobs = new ConcurrentLinkedQueue<>();
        final Queue<Attempt> news = new ConcurrentLinkedQueue<>();
        volatile Phase phase = Phase.BEFORE;
        private final NatsFaultInterfaces.FaultPublisher events;
        private final Tracer tracer;
        private volatile boolean stopped;

        Publisher(NatsFaultInterfaces.FaultPublisher events, Tracer tracer) {
            this.events = events;
            this.tracer = tracer;
        }

        @Override
        public void run() {
            for (int i = 1; !stopped; i++) {
                String item = "news-" + i;
                news.add(attempt(item, () -> {
                    try {
                        events.news(item);
                        return CompletableFuture.completedFuture(null);
                    } catch (RuntimeException failure) {
                        return CompletableFuture.failedFuture(failure);
                    }
                }));
                String job = "job-" + i;
                jobs.add(attempt(job, () -> {
                    try {
                        return CompletableFuture.completedFuture(events.job(job));
                    } catch (RuntimeException failure) {
                        return CompletableFuture.failedFuture(failure);
                    }
                }));
                String later = "later-" + i;
                jobs.add(attempt(later, () -> events.jobLater(later)));
            }
        }

        private Attempt attempt(String id, Supplier<CompletableFuture<PublishAck>> publish) {
            Phase current = phase;
            Span caller = tracer.spanBuilder("caller " + id).startSpan();
            Scope scope = caller.makeCurrent();
            try {
                return new Attempt(id, current, caller.getSpanContext().getSpanId(), publish.get());
            } finally {
                scope.close();
                caller.end();
            }
        }

        void stop() {
            stopped = true;
        }
    }
}
