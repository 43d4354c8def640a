package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.FaultInterfaces.GROUP;
import static dev.tracewire.sample.kafka.FaultInterfaces.ORDERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.sample.infra.EmbeddedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broker faults (issue 10, item 6): a 3-broker KRaft cluster, a topic replicated three times with
 * {@code min.insync.replicas=2}, an idempotent {@code acks=all} producer behind a generated
 * publisher and a generated consumer. While both run, the partition's leader is stopped (sends go
 * on through the new leader), then a follower too (one replica left: sends fail, deterministically),
 * then both are started again. No acknowledged record may be lost, every failure must reach its
 * caller and its span, and the consumer must ride it all out.
 */
@Tag("faults")
class KafkaBrokerFaultTest extends KafkaTestBase {

    private static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(30);
    /** Acknowledgements each phase waits for: before the stop, with the leader down, after its restart. */
    private static final int ACKS_PER_PHASE = 100;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void noAcknowledgedRecordIsLostWhenThePartitionLeaderStopsAndComesBack() throws Exception {
        long began = System.nanoTime();
        Set<String> threadsBefore = tracewireThreads();
        EmbeddedKafka kafka = closeLater(EmbeddedKafka.startCluster(3));
        kafka.createTopic(ORDERS, 1, 3, Map.of("min.insync.replicas", "2"));
        Admin admin = closeLater(kafka.admin());

        Map<String, Integer> handled = new ConcurrentHashMap<>();
        Subscription subscription = closeLater(new TracedFaultInterfaces_OrderHandler(
                (orderId, order) -> handled.merge(orderId, 1, Integer::sum), options)
                .start(stringConsumer(kafka, GROUP)));
        Map<String, Object> producerConfig = kafka.producerConfig();
        // A record that is not acknowledged within 3 s fails, so that the test sees failures soon.
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
        KafkaProducer<String, String> producer = closeLater(
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer()));
        Sender sender = new Sender(new TracedFaultInterfaces_OrderEvents(producer, options));
        Thread sending = new Thread(sender, "fault-test-sender");
        sending.start();
        closeLater(() -> {
            sender.stop();
            sending.join(PHASE_TIMEOUT.toMillis());
        });

        await("acknowledgements before the fault", () -> sender.acknowledged.get() >= ACKS_PER_PHASE);
        int leader = partition(admin).leader().id();
        kafka.stopBroker(leader);
        int ackedAtStop = sender.acknowledged.get();
        int handledAtStop = handled.size();
        await("a new leader", () -> {
            Node newLeader = partition(admin).leader();
            return newLeader != null && newLeader.id() != leader;
        });
        await("acknowledgements with the leader down",
                () -> sender.acknowledged.get() >= ackedAtStop + ACKS_PER_PHASE);
        await("records handled with the leader down", () -> handled.size() >= handledAtStop + ACKS_PER_PHASE);

        // One replica left of three, below min.insync.replicas: acks=all sends must now fail.
        int newLeader = partition(admin).leader().id();
        int follower = kafka.brokerIds().stream().filter(id -> id != leader && id != newLeader).findFirst()
                .orElseThrow();
        kafka.stopBroker(follower);
        int failedAtSecondStop = sender.failed.get();
        await("failures reported to callers", () -> sender.failed.get() >= failedAtSecondStop + 3);

        kafka.restartBroker(follower);
        kafka.restartBroker(leader);
        int ackedAtRestart = sender.acknowledged.get();
        await("the restarted leader back in sync",
                () -> partition(admin).isr().stream().anyMatch(node -> node.id() == leader));
        await("acknowledgements after the restart",
                () -> sender.acknowledged.get() >= ackedAtRestart + ACKS_PER_PHASE);
        sender.stop();
        sending.join(PHASE_TIMEOUT.toMillis());
        assertThat(sending.isAlive()).as("the sender stopped").isFalse();
        await("every send completed", () -> sender.sent.stream().allMatch(sent -> sent.future.isDone()));

        List<Sent> acknowledged = sender.sent.stream().filter(sent -> !sent.future.isCompletedExceptionally()).toList();
        List<Sent> failed = sender.sent.stream().filter(sent -> sent.future.isCompletedExceptionally()).toList();
        await("every acknowledged record handled",
                () -> acknowledged.stream().allMatch(sent -> handled.containsKey(sent.key)));
        List<SpanData> spans = awaitSpans(all -> named(all, "send " + ORDERS).size() == sender.sent.size()
                && named(all, "process " + ORDERS).stream().map(span -> span.getAttributes().get(KEY))
                        .collect(Collectors.toSet()).containsAll(handled.keySet()));
        long duplicates = handled.values().stream().mapToInt(count -> count - 1).sum();
        long failedButStored = failed.stream().filter(sent -> handled.containsKey(sent.key)).count();
        System.out.printf("Kafka broker faults: leader %d stopped, then follower %d, both restarted; sent %d,"
                        + " acknowledged %d, failed %d (stored and handled all the same: %d), handled %d distinct,"
                        + " duplicates %d; %d ms%n", leader, follower, sender.sent.size(), acknowledged.size(),
                failed.size(), failedButStored, handled.size(), duplicates,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));

        assertThat(subscription.isRunning()).as("the consumer rode the faults out").isTrue();
        assertThat(subscription.failure()).isEmpty();
        subscription.close();
        assertThat(subscription.isRunning()).isFalse();
        assertThat(tracewireThreads()).as("tracewire threads left after close").isSubsetOf(threadsBefore);

        Map<String, SpanData> sendSpans = named(spans, "send " + ORDERS).stream()
                .collect(Collectors.toMap(span -> span.getAttributes().get(KEY), Function.identity()));
        Map<String, List<SpanData>> processSpans = named(spans, "process " + ORDERS).stream()
                .collect(Collectors.groupingBy(span -> span.getAttributes().get(KEY)));
        assertAcknowledgedWereProcessedAsChildrenOfTheirSends(acknowledged, sendSpans, processSpans);
        assertFailuresWereSeenByCallersAndRecorded(failed, sendSpans);
        assertThat(failed).as("sends that failed below min.insync.replicas").hasSizeGreaterThanOrEqualTo(3);
    }

    private static void assertAcknowledgedWereProcessedAsChildrenOfTheirSends(List<Sent> acknowledged,
            Map<String, SpanData> sendSpans, Map<String, List<SpanData>> processSpans) throws Exception {
        for (Sent sent : acknowledged) {
            RecordMetadata metadata = sent.future.get();
            SpanData send = sendSpans.get(sent.key);
            assertThat(send.getStatus().getStatusCode()).as("send span of %s", sent.key).isEqualTo(StatusCode.UNSET);
            assertThat(send.getAttributes().get(OFFSET)).isEqualTo(metadata.offset());
            assertThat(processSpans.get(sent.key)).as("process spans of acknowledged %s", sent.key).isNotEmpty()
                    .allSatisfy(process -> {
                        assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
                        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
                    });
        }
    }

    private static void assertFailuresWereSeenByCallersAndRecorded(List<Sent> failed, Map<String, SpanData> sendSpans)
            throws InterruptedException {
        for (Sent sent : failed) {
            Throwable seen = failure(sent.future);
            SpanData send = sendSpans.get(sent.key);
            assertThat(send.getStatus().getStatusCode()).as("send span of failed %s", sent.key)
                    .isEqualTo(StatusCode.ERROR);
            assertThat(send.getAttributes().get(ERROR_TYPE)).isEqualTo(seen.getClass().getName());
        }
        assertThat(sendSpans.values().stream().filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR))
                .as("ERROR send spans, one per failure a caller saw").hasSize(failed.size());
    }

    private static TopicPartitionInfo partition(Admin admin) throws Exception {
        return admin.describeTopics(List.of(ORDERS)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(ORDERS).partitions().get(0);
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    private static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the future did not fail");
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

    private record Sent(String key, CompletableFuture<RecordMetadata> future) {
    }

    /** Sends order after order through the generated publisher, at most 10 unacknowledged at a time. */
    private static final class Sender implements Runnable {
        final Queue<Sent> sent = new ConcurrentLinkedQueue<>();
        final AtomicInteger acknowledged = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        private final FaultInterfaces.OrderEvents events;
        private final Semaphore inFlight = new Semaphore(10);
        private volatile boolean stopped;

        Sender(FaultInterfaces.OrderEvents events) {
            this.events = events;
        }

        @Override
        public void run() {
            int i = 0;
            while (!stopped) {
                try {
                    if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                i++;
                String key = "order-" + i;
                CompletableFuture<RecordMetadata> future = events.placed(key, "order " + i);
                sent.add(new Sent(key, future));
                future.whenComplete((metadata, failure) -> {
                    if (failure == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                    inFlight.release();
                });
            }
        }

        void stop() {
            stopped = true;
        }
    }
}
