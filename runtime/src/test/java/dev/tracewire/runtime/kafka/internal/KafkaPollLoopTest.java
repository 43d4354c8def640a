package dev.tracewire.runtime.kafka.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CONSUMER_GROUP_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_PARTITION_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.ERROR_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_KEY;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_OFFSET;
import static dev.tracewire.runtime.testing.TestSupport.awaitTrue;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThatThrownBy;

import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.runtime.testing.TestTelemetry;
import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaPollLoopTest {

    private static final String POISON_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private static final String INTERFACE = "com.example.OrderHandler";
    /** The group id {@link MockConsumer#groupMetadata()} reports in Kafka 4.x. */
    static final String MOCK_GROUP = "dummy.group.id";
    private static final String TOPIC = "orders";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private LogCapture loopLog;

    /** Record ids ("p0@1") in the order the handler was called, attempts included. */
    private final Queue<String> calls = new ConcurrentLinkedQueue<>();
    /** When each attempt at a record started, by record id. */
    private final Map<String, List<Long>> attemptNanos = new ConcurrentHashMap<>();
    private final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
    /** Records whose handler ran while an offset past them was already committed. */
    private final Queue<String> committedTooEarly = new ConcurrentLinkedQueue<>();
    private final AtomicReference<RuntimeException> lastFailure = new AtomicReference<>();

    @BeforeEach
    void captureLoopLog() {
        loopLog = LogCapture.of("dev.tracewire.runtime", Level.ALL);
    }

    @AfterEach
    void restoreLoopLog() {
        loopLog.close();
    }

    @Test
    void mockConsumerReportsTheGroupTheseTestsDeclare() {
        assertThat(new MockConsumer<String, String>("earliest").groupMetadata().groupId()).isEqualTo(MOCK_GROUP);
    }

    @Test
    void handlesRecordsOnItsOwnThreadAndCommitsOnlyAfterTheHandlerReturned() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1), record(P1, 0));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RecordHandler<String, String> recording = recording(consumer, (id, attempt) -> false);
        RecordHandler<String, String> holdingFirst = record -> {
            if (record.partition() == 0 && record.offset() == 0) {
                entered.countDown();
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            }
            recording.handle(record);
        };

        try (Subscription subscription = dispatcher(MOCK_GROUP, fast().build(), holdingFirst).start(consumer)) {
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(subscription.isRunning()).isTrue();
            assertThat(consumer.commits).as("nothing is committed while the first handler runs").isEmpty();

            release.countDown();
            awaitCommitted(consumer, P0, 2);
            awaitCommitted(consumer, P1, 1);
            assertThat(consumer.committed(Set.of(P0, P1)))
                    .containsEntry(P0, new OffsetAndMetadata(2)).containsEntry(P1, new OffsetAndMetadata(1));
            assertThat(subscription.failure()).isEmpty();
            assertThat(subscription.awaitTermination(Duration.ofMillis(1))).isFalse();
        }

        assertThat(handlerThreads).singleElement().asString().startsWith("tracewire-kafka-OrderHandler-");
        assertThat(committedTooEarly).isEmpty();
        assertThat(calls).containsExactlyInAnyOrder("p0@0", "p0@1", "p1@0");
        assertThat(List.copyOf(calls)).containsSubsequence("p0@0", "p0@1");
        List<SpanData> spans = telemetry.spans("process orders");
        assertThat(spans).hasSize(3).allSatisfy(span -> {
            assertThat(span).hasKind(SpanKind.CONSUMER).hasNoParent();
            assertThat(span.getAttributes().get(MESSAGING_CONSUMER_GROUP_NAME)).isEqualTo(MOCK_GROUP);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });
        assertThat(spans).extracting(span -> span.getAttributes().get(MESSAGING_DESTINATION_PARTITION_ID)
                + "@" + span.getAttributes().get(MESSAGING_KAFKA_OFFSET))
                .containsExactlyInAnyOrder("0@0", "0@1", "1@0");
    }

    @Test
    void withTheDefaultPolicyAFailedRecordIsRetriedAfterABackoffWhileOtherPartitionsFlow() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1), record(P1, 0), record(P1, 1));
        TracewireOptions options = telemetry.options().with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(20)).build()).build(); // default policy

        try (Subscription subscription =
                dispatcher(MOCK_GROUP, options, recording(consumer, (id, attempt) -> id.equals("p0@0") && attempt == 1))
                        .start(consumer)) {
            awaitCommitted(consumer, P1, 2);
            awaitCommitted(consumer, P0, 2);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(subscription.failure()).isEmpty();
        }

        assertThat(attemptNanos.get("p0@0")).hasSize(2);
        assertThat(gapMillis("p0@0", 0)).as("ms between the attempts (default backoff 100 ms)").isGreaterThanOrEqualTo(95);
        List<String> p0 = calls.stream().filter(id -> id.startsWith("p0")).toList();
        assertThat(p0).as("the record behind the failed one waits for it").containsExactly("p0@0", "p0@0", "p0@1");
        assertThat(committedTooEarly).isEmpty();
        List<SpanData> attempts = spansOf(0, 0);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(attempts.get(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aRecordThatKeepsFailingIsRetriedWithGrowingBackoffAndNeverCommittedPast() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1), record(P1, 0), record(P1, 1));
        TracewireOptions options = fast()
                .errorPolicy(ErrorPolicy.retryForever(Duration.ofMillis(10), Duration.ofMillis(40)))
                .build();

        try (Subscription subscription =
                dispatcher(MOCK_GROUP, options, recording(consumer, (id, attempt) -> id.equals("p0@0")))
                        .start(consumer)) {
            awaitTrue(() -> attemptNanos.getOrDefault("p0@0", List.of()).size() >= 5, "p0@0 was tried 5 times");
            awaitCommitted(consumer, P1, 2);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(consumer.committed(Set.of(P0))).isEmpty();
        }

        assertThat(consumer.closed()).isTrue();
        assertThat(consumer.commits).as("not even closing commits past the failed record").doesNotContainKey(P0);
        assertThat(calls).doesNotContain("p0@1");
        assertThat(gapMillis("p0@0", 0)).isGreaterThanOrEqualTo(10);
        assertThat(gapMillis("p0@0", 1)).isGreaterThanOrEqualTo(20);
        assertThat(gapMillis("p0@0", 2)).isGreaterThanOrEqualTo(40);
        assertThat(gapMillis("p0@0", 3)).isGreaterThanOrEqualTo(40);
        int tries = attemptNanos.get("p0@0").size();
        assertThat(spansOf(0, 0)).hasSize(tries)
                .allSatisfy(span -> assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }

    @Test
    void aCommitThatFailsWhilePartitionsAreTakenAwayIsLoggedAndTheLoopGoesOn() throws Exception {
        AtomicInteger syncCommits = new AtomicInteger();
        TestConsumer consumer = new TestConsumer() {
            @Override
            public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                    OffsetCommitCallback callback) {
                // The broker is away: every asynchronous commit fails, so the offsets stay to commit.
                callback.onComplete(offsets, new RetriableCommitFailedException("coordinator not available"));
            }

            @Override
            public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
                syncCommits.incrementAndGet();
                throw new CommitFailedException("the group rebalanced before the commit");
            }
        };
        assign(consumer, record(P0, 0));
        TracewireOptions options = fast().build();

        try (Subscription subscription = dispatcher(MOCK_GROUP, options,
                recording(consumer, (id, attempt) -> false)).start(consumer)) {
            awaitTrue(() -> calls.contains("p0@0"), "p0@0 handled");
            consumer.schedulePollTask(() -> {
                consumer.rebalance(List.of(P1)); // P0 is taken away: its offset 1 is committed, and that fails
                consumer.publish(record(P1, 0));
            });
            awaitTrue(() -> calls.contains("p1@0"), "p1@0 handled after the rebalance");
            assertThat(syncCommits).hasValue(1);
            assertThat(subscription.isRunning()).as("still consuming the partition it kept").isTrue();
            assertThat(subscription.failure()).isEmpty();
        }

        assertThat(loopLog.records()).anySatisfy(logged -> {
            assertThat(logged.getLevel()).isEqualTo(Level.WARNING);
            assertThat(logged.getMessage()).contains("orders-0=OffsetAndMetadata{offset=1")
                    .contains("before their partitions were taken away failed");
            assertThat(logged.getThrown()).isInstanceOf(CommitFailedException.class);
        });
    }

    @Test
    void theSkipPolicyCommitsPastTheFailedRecord() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1), record(P0, 2));
        TracewireOptions options = fast().errorPolicy(ErrorPolicy.skip()).build();

        try (Subscription subscription = dispatcher(MOCK_GROUP, options,
                recording(consumer, (id, attempt) -> id.equals("p0@0") || id.equals("p0@2"))).start(consumer)) {
            awaitCommitted(consumer, P0, 3);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(subscription.failure()).isEmpty();
        }

        assertThat(calls).containsExactly("p0@0", "p0@1", "p0@2");
        assertThat(loopLog.records()).anySatisfy(logged -> {
            assertThat(logged.getLevel()).isEqualTo(Level.WARNING);
            assertThat(logged.getMessage()).contains("orders-0@0").contains("skipping");
            assertThat(logged.getThrown()).isInstanceOf(IllegalStateException.class);
        });
        assertThat(spansOf(0, 0)).singleElement()
                .satisfies(span -> assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }

    @Test
    void retriesThenSkipsWhenTheAttemptsAreUsedUp() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1));
        TracewireOptions options = fast()
                .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(5), Duration.ofMillis(5)).thenSkip())
                .build();

        try (Subscription subscription =
                dispatcher(MOCK_GROUP, options, recording(consumer, (id, attempt) -> id.equals("p0@1")))
                        .start(consumer)) {
            awaitCommitted(consumer, P0, 2);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(calls).containsExactly("p0@0", "p0@1", "p0@1", "p0@1");
    }

    @Test
    void aRecordThatCannotBeDeserializedIsAFailedProcessSpanAndTheLoopGoesOnPastIt() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0));
        RecordHandler<String, String> recording = recording(consumer, (id, attempt) -> false);
        RecordHandler<String, String> poisoningAfterFirst = record -> {
            recording.handle(record);
            if (record.offset() == 0) {
                consumer.setPollException(poison(1));
                consumer.append(record(P0, 2));
            }
        };

        try (Subscription subscription =
                dispatcher(MOCK_GROUP, fast().build(), poisoningAfterFirst).start(consumer)) {
            awaitCommitted(consumer, P0, 3);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(calls).containsExactly("p0@0", "p0@2");
        assertThat(spansOf(0, 1)).singleElement().satisfies(span -> {
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(RecordDeserializationException.class.getName());
            assertThat(span.getTraceId()).as("continues the record's header context").isEqualTo(POISON_TRACE);
            assertThat(span.getAttributes().get(MESSAGING_KAFKA_MESSAGE_KEY)).isEqualTo("raw-key");
        });
        assertThat(loopLog.records()).anySatisfy(logged -> {
            assertThat(logged.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(logged.getMessage()).contains("orders-0@1").contains("cannot be deserialized")
                    .contains(POISON_TRACE);
        });
    }

    @Test
    void aRecordThatCannotBeDeserializedStopsALoopWhosePolicyStops() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0));
        consumer.schedulePollTask(() -> consumer.setPollException(poison(1)));

        Subscription subscription =
                dispatcher(MOCK_GROUP, fast().errorPolicy(ErrorPolicy.stop()).build(),
                        recording(consumer, (id, attempt) -> false)).start(consumer);
        try {
            assertThat(subscription.awaitTermination(Duration.ofSeconds(10))).isTrue();
        } finally {
            subscription.close();
        }

        assertThat(subscription.failure()).get().isInstanceOf(RecordDeserializationException.class);
        assertThat(consumer.commits).containsEntry(P0, new OffsetAndMetadata(1));
    }

    private static RecordDeserializationException poison(long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", ("00-" + POISON_TRACE + "-b7ad6b7169203331-01").getBytes(StandardCharsets.UTF_8));
        return new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                P0, offset, 0L, TimestampType.CREATE_TIME, ByteBuffer.wrap("raw-key".getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), headers, "not an int",
                new SerializationException("Size of data received by IntegerDeserializer is not 4"));
    }

    @Test
    void theStopPolicyStopsTheLoopWithTheFailureAndLeavesTheRecordUncommitted() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1), record(P0, 2));
        TracewireOptions options = fast().errorPolicy(ErrorPolicy.stop()).build();

        Subscription subscription =
                dispatcher(MOCK_GROUP, options, recording(consumer, (id, attempt) -> id.equals("p0@1")))
                        .start(consumer);
        try {
            assertThat(subscription.awaitTermination(Duration.ofSeconds(10))).isTrue();
            assertThat(subscription.isRunning()).isFalse();
            assertThat(subscription.failure()).containsSame(lastFailure.get());
        } finally {
            subscription.close();
        }

        assertThat(subscription.failure()).as("still there after close").containsSame(lastFailure.get());
        assertThat(calls).containsExactly("p0@0", "p0@1");
        assertThat(consumer.closed()).isTrue();
        assertThat(consumer.commits).containsEntry(P0, new OffsetAndMetadata(1)).hasSize(1);
        assertThat(loopLog.records()).anySatisfy(logged -> assertThat(logged.getLevel()).isEqualTo(Level.SEVERE));
    }

    @Test
    void closeFinishesTheRecordInFlightCommitsItAndClosesTheConsumer() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        RecordHandler<String, String> recording = recording(consumer, (id, attempt) -> false);
        RecordHandler<String, String> blocking = record -> {
            loopThread.set(Thread.currentThread());
            entered.countDown();
            assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            recording.handle(record);
        };
        Subscription subscription = dispatcher(MOCK_GROUP, fast().build(), blocking).start(consumer);
        Thread closer = new Thread(subscription::close, "closer");
        try {
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            closer.start();
            awaitTrue(() -> closer.getState() == Thread.State.TIMED_WAITING, "close() waits for the record in flight");
            assertThat(subscription.isRunning()).isTrue();
            assertThat(consumer.closed()).isFalse();
        } finally {
            release.countDown();
            closer.join(10_000);
            subscription.close();
        }

        assertThat(closer.isAlive()).isFalse();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).isEmpty();
        assertThat(consumer.closed()).isTrue();
        loopThread.get().join(10_000);
        assertThat(loopThread.get().isAlive()).isFalse();
        assertThat(calls).as("the record in flight is finished, the next one is left").containsExactly("p0@0");
        assertThat(consumer.commits).containsEntry(P0, new OffsetAndMetadata(1)).hasSize(1);
    }

    @Test
    void closeInterruptsAHandlerStillRunningAtThreeQuartersOfTheCloseTimeoutAndLeavesItsRecordUncommitted()
            throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0), record(P0, 1), record(P0, 2));
        CountDownLatch entered = new CountDownLatch(1);
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        RecordHandler<String, String> recording = recording(consumer, (id, attempt) -> false);
        RecordHandler<String, String> stuckOnSecond = record -> {
            recording.handle(record);
            if (record.offset() == 1) {
                loopThread.set(Thread.currentThread());
                entered.countDown();
                Thread.sleep(30_000);
            }
        };
        Subscription subscription = dispatcher(MOCK_GROUP,
                fast().with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(20))
                        .closeTimeout(Duration.ofMillis(800)).build()).build(),
                stuckOnSecond).start(consumer);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        subscription.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).as("close() took %d ms", closeMillis).isBetween(550L, 800L + 300L);
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).as("an interrupted close is no failure of the consumer").isEmpty();
        assertThat(consumer.closed()).isTrue();
        loopThread.get().join(1_000);
        assertThat(loopThread.get().isAlive()).isFalse();
        assertThat(calls).as("the record behind the stuck one is left").containsExactly("p0@0", "p0@1");
        assertThat(consumer.commits).as("the finished record is committed, the interrupted one is not")
                .containsExactly(Map.entry(P0, new OffsetAndMetadata(1)));
        assertThat(telemetry.spans("process orders")).as("the interrupted attempt's span ended too").hasSize(2)
                .anySatisfy(span -> assertThat(span.getAttributes().get(ERROR_TYPE))
                        .isEqualTo(InterruptedException.class.getName()));
        assertThat(loopLog.records()).as("the failure step is not asked about an interrupted record")
                .noneSatisfy(logged -> assertThat(logged.getMessage()).contains("failed on"));
    }

    @Test
    void closeReturnsWithinTheCloseTimeoutWhenAHandlerIgnoresItsInterruption() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0));
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> loopThread = new AtomicReference<>();
        RecordHandler<String, String> deaf = record -> {
            loopThread.set(Thread.currentThread());
            entered.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // a handler that will not be interrupted
                }
            }
        };
        Subscription subscription = dispatcher(MOCK_GROUP,
                fast().with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(20))
                        .closeTimeout(Duration.ofMillis(600)).build()).build(),
                deaf).start(consumer);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        subscription.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).as("close() took %d ms", closeMillis).isBetween(550L, 600L + 300L);
        assertThat(subscription.isRunning()).as("the handler still runs").isTrue();
        assertThat(loopLog.records()).anySatisfy(logged -> assertThat(logged.getMessage())
                .contains("did not stop within 600 ms").contains("a handler ignores its interruption")
                .contains(loopThread.get().getName()));
        release.countDown();
        assertThat(subscription.awaitTermination(Duration.ofSeconds(10))).isTrue();
        loopThread.get().join(1_000);
        assertThat(loopThread.get().isAlive()).isFalse();
        assertThat(consumer.closed()).isTrue();
    }

    @Test
    void closeOfAnIdleSubscriptionStopsTheThreadAndClosesTheConsumer() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer);
        Set<Thread> before = loopThreads();
        Subscription subscription = dispatcher(MOCK_GROUP, fast().build(), recording(consumer, (id, attempt) -> false))
                .start(consumer);
        Thread loopThread;
        try {
            awaitTrue(() -> consumer.polls > 3, "the loop polls");
            Set<Thread> started = loopThreads();
            started.removeAll(before);
            assertThat(started).hasSize(1);
            loopThread = started.iterator().next();
        } finally {
            subscription.close();
        }

        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(subscription.failure()).isEmpty();
        assertThat(consumer.closed()).isTrue();
        loopThread.join(10_000);
        assertThat(loopThread.isAlive()).isFalse();
        subscription.close(); // a second close is harmless
    }

    @Test
    void withoutADeclaredGroupTheConsumersGroupIsRecorded() throws Exception {
        TestConsumer consumer = new TestConsumer();
        assign(consumer, record(P0, 0));

        try (Subscription subscription =
                dispatcher("", fast().build(), recording(consumer, (id, attempt) -> false)).start(consumer)) {
            awaitCommitted(consumer, P0, 1);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(telemetry.spans("process orders")).singleElement().satisfies(span ->
                assertThat(span.getAttributes().get(MESSAGING_CONSUMER_GROUP_NAME)).isEqualTo(MOCK_GROUP));
    }

    @Test
    void aConsumerOfAnotherGroupIsRejected() {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        KafkaDispatcher<String, String> dispatcher =
                dispatcher("billing", fast().build(), record -> { });

        assertThatThrownBy(() -> dispatcher.start(consumer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(INTERFACE)
                .hasMessageContaining("\"" + MOCK_GROUP + "\"")
                .hasMessageContaining("\"billing\"");
        assertThat(consumer.subscription()).isEmpty();
        assertThat(consumer.closed()).isFalse();
    }

    @Test
    void aConsumerWithoutAGroupIsRejected() {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest") {
            @Override
            public ConsumerGroupMetadata groupMetadata() {
                throw new InvalidGroupIdException("To use the group management or offset commit APIs, you must "
                        + "provide a valid group.id in the consumer configuration.");
            }
        };

        assertThatThrownBy(() -> dispatcher("billing", fast().build(), record -> { }).start(consumer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no group.id")
                .hasMessageContaining("\"billing\"");
        assertThatThrownBy(() -> dispatcher("", fast().build(), record -> { }).start(consumer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no group.id");
        assertThat(consumer.subscription()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A {@link MockConsumer} that keeps every commit readable after close, serves a partition
     * again from the offset the application seeks to (as a broker would), and naps on an empty
     * poll instead of spinning (a real consumer blocks up to the timeout).
     */
    static class TestConsumer extends MockConsumer<String, String> {
        final Map<TopicPartition, OffsetAndMetadata> commits = new ConcurrentHashMap<>();
        private final Map<TopicPartition, List<ConsumerRecord<String, String>>> log = new ConcurrentHashMap<>();
        private volatile boolean polling;
        volatile int polls;

        TestConsumer() {
            super("earliest");
        }

        /** Appends {@code record} to its partition's log only: a seek to it or before reads it. */
        void append(ConsumerRecord<String, String> record) {
            log.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                    partition -> new CopyOnWriteArrayList<>()).add(record);
        }

        /** Appends {@code record} to its partition's log and hands it to the next poll. */
        void publish(ConsumerRecord<String, String> record) {
            log.computeIfAbsent(new TopicPartition(record.topic(), record.partition()),
                    partition -> new CopyOnWriteArrayList<>()).add(record);
            addRecord(record);
        }

        @Override
        public ConsumerRecords<String, String> poll(Duration timeout) {
            ConsumerRecords<String, String> records;
            polling = true;
            try {
                records = super.poll(timeout);
            } finally {
                polling = false;
            }
            polls++;
            if (records.isEmpty()) {
                LockSupport.parkNanos(Math.min(timeout.toNanos(), TimeUnit.MILLISECONDS.toNanos(1)));
            }
            return records;
        }

        @Override
        public synchronized void seek(TopicPartition partition, long offset) {
            super.seek(partition, offset);
            if (!polling) { // MockConsumer seeks itself inside poll to reset positions
                for (ConsumerRecord<String, String> record : log.getOrDefault(partition, List.of())) {
                    if (record.offset() >= offset) {
                        addRecord(record);
                    }
                }
            }
        }

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets,
                OffsetCommitCallback callback) {
            commits.putAll(offsets);
            super.commitAsync(offsets, callback);
        }
    }

    /**
     * Has the consumer's first poll take the partitions of {@code records} (and both test
     * partitions in any case) and hand out {@code records}.
     */
    @SafeVarargs
    private static void assign(TestConsumer consumer, ConsumerRecord<String, String>... records) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0, P1));
            for (ConsumerRecord<String, String> record : records) {
                consumer.publish(record);
            }
        });
    }

    private static Set<Thread> loopThreads() {
        Set<Thread> threads = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith("tracewire-kafka-OrderHandler-")) {
                threads.add(thread);
            }
        }
        return threads;
    }

    private static ConsumerRecord<String, String> record(TopicPartition partition, long offset) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "k" + offset, "v" + offset);
    }

    private TracewireOptions.Builder fast() {
        return telemetry.options().with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(20)).build());
    }

    private KafkaDispatcher<String, String> dispatcher(String group, TracewireOptions options,
            RecordHandler<String, String> handler) {
        return KafkaDispatcher.<String, String>builder(INTERFACE, group, options).route(TOPIC, handler).build();
    }

    /**
     * A handler that notes each call and fails when {@code fails} says so for the record's id and
     * the attempt (1 for the first).
     */
    private RecordHandler<String, String> recording(TestConsumer consumer, BiPredicate<String, Integer> fails) {
        return record -> {
            String id = "p" + record.partition() + "@" + record.offset();
            calls.add(id);
            List<Long> attempts = attemptNanos.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>());
            attempts.add(System.nanoTime());
            handlerThreads.add(Thread.currentThread().getName());
            OffsetAndMetadata committed = consumer.commits.get(new TopicPartition(record.topic(), record.partition()));
            if (committed != null && committed.offset() > record.offset()) {
                committedTooEarly.add(id);
            }
            if (fails.test(id, attempts.size())) {
                RuntimeException failure = new IllegalStateException("cannot handle " + id);
                lastFailure.set(failure);
                throw failure;
            }
        };
    }

    private static void awaitCommitted(TestConsumer consumer, TopicPartition partition, long offset) {
        awaitTrue(() -> {
            OffsetAndMetadata committed = consumer.commits.get(partition);
            return committed != null && committed.offset() == offset;
        }, partition + " committed up to " + offset);
    }

    private long gapMillis(String id, int afterAttempt) {
        List<Long> attempts = attemptNanos.get(id);
        return TimeUnit.NANOSECONDS.toMillis(attempts.get(afterAttempt + 1) - attempts.get(afterAttempt));
    }

    private List<SpanData> spansOf(int partition, long offset) {
        List<SpanData> spans = new ArrayList<>();
        for (SpanData span : telemetry.spans("process orders")) {
            if (String.valueOf(partition).equals(span.getAttributes().get(MESSAGING_DESTINATION_PARTITION_ID))
                    && Long.valueOf(offset).equals(span.getAttributes().get(MESSAGING_KAFKA_OFFSET))) {
                spans.add(span);
            }
        }
        return spans;
    }
}
