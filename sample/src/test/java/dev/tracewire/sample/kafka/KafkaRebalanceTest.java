package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import dev.tracewire.sample.support.SharedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least once through rebalances, on the real broker: a second member joins a group while
 * records stream in, then the first one leaves; no record is lost, and no offset is ever committed
 * past a record whose handler has not succeeded, on partitions that move as well.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaRebalanceTest extends KafkaTestBase {

    static final String TOPIC = "e2e.rebalance";
    private static final String GROUP = "e2e-rebalance";
    private static final int PARTITIONS = 4;
    private static final int RECORDS = 4_000;
    /** Records whose first attempt fails, so that some partitions wait for a retry while they move. */
    private static final int FAILS_FIRST_EVERY = 50;

    @TracedConsumer(group = GROUP)
    interface Handler {
        @Topic(TOPIC)
        void onRecord(@Key String key, String text) throws RejectedException;
    }

    /** One successful handling: which member, and when. */
    record Success(String member, long nanos) {
    }

    private final Map<String, List<Success>> successes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    /** Where each record landed, from the producer's acknowledgements. */
    private final Map<TopicPartition, Map<Long, String>> keysByOffset = new ConcurrentHashMap<>();

    @Test
    void aMemberJoiningAndOneLeavingMidStreamLoseNoRecordAndCommitOnlyWhatSucceeded(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(TOPIC, PARTITIONS);
        TracewireOptions retrying = options.toBuilder()
                .errorPolicy(ErrorPolicy.retryForever(Duration.ofMillis(20), Duration.ofMillis(100)))
                .with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(50)).build())
                .build();
        Admin admin = closeLater(kafka.admin());
        CommitAudit audit = new CommitAudit(admin);
        long start = System.nanoTime();

        Subscription first = new TracedKafkaRebalanceTest_Handler(handler("first"), retrying)
                .start(member(kafka));
        Subscription second = null;
        long secondJoined = 0;
        long firstLeft = 0;
        KafkaProducer<String, String> records = stringProducer(kafka);
        Thread producer = new Thread(() -> produce(records), "rebalance-producer");
        producer.start();
        audit.start();
        try {
            awaitHandled(RECORDS / 4);
            secondJoined = System.nanoTime();
            second = closeLater(new TracedKafkaRebalanceTest_Handler(handler("second"), retrying)
                    .start(member(kafka)));
            awaitHandledBy("second", 200);
            awaitHandled(RECORDS / 2);
            firstLeft = System.nanoTime();
            first.close();
            awaitHandled(RECORDS);
            producer.join(30_000);
            second.close();
        } finally {
            first.close();
            audit.stop();
            producer.join(30_000);
        }
        long elapsed = System.nanoTime() - start;

        int duplicates = 0;
        Map<String, Integer> byMember = new HashMap<>();
        for (List<Success> handled : successes.values()) {
            duplicates += handled.size() - 1;
            handled.forEach(success -> byMember.merge(success.member(), 1, Integer::sum));
        }
        int failedAttempts = (int) attempts.keySet().stream()
                .filter(key -> index(key) % FAILS_FIRST_EVERY == 7).count();
        System.out.printf("[tracewire tests] rebalance: %d records, %d handled by first, %d by second, "
                        + "%d duplicates, %d first attempts failed and retried, %d commit snapshots, %d ms%n",
                RECORDS, byMember.getOrDefault("first", 0), byMember.getOrDefault("second", 0), duplicates,
                failedAttempts, audit.snapshots.size(), TimeUnit.NANOSECONDS.toMillis(elapsed));

        assertThat(successes).as("every record handled at least once").hasSize(RECORDS);
        assertThat(first.failure()).isEmpty();
        assertThat(second.failure()).isEmpty();
        long joined = secondJoined;
        long left = firstLeft;
        assertThat(successes.values().stream().flatMap(List::stream)
                .filter(s -> s.member().equals("second") && s.nanos() < left))
                .as("the second member took partitions over while the first still ran").isNotEmpty();
        assertThat(successes.values().stream().flatMap(List::stream)
                .filter(s -> s.member().equals("first") && s.nanos() > joined && s.nanos() < left))
                .as("the first member kept partitions after the second joined").isNotEmpty();
        assertThat(audit.snapshots).as("commits were watched while the group changed").hasSizeGreaterThan(10);
        assertThat(audit.violations()).as("offsets committed past a record that had not succeeded").isEmpty();

        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((partition, end) ->
                assertThat(committed.get(partition)).as("committed offset of %s after both left", partition)
                        .isNotNull().extracting(OffsetAndMetadata::offset).isEqualTo(end.offset()));
    }

    /**
     * A member of the group that notices a rebalance within a fifth of a second (the default
     * heartbeat interval is 3 s, longer than the stream this test sends).
     */
    private static KafkaConsumer<String, String> member(EmbeddedKafka kafka) {
        Map<String, Object> config = kafka.consumerConfig(GROUP);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 200);
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    private Handler handler(String member) {
        return (key, text) -> {
            int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (index(key) % FAILS_FIRST_EVERY == 7 && attempt == 1) {
                throw new RejectedException("first attempt at " + key);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(300));
            successes.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>())
                    .add(new Success(member, System.nanoTime()));
        };
    }

    /** Sends the records at a steady pace, so that the group changes while they stream in. */
    private void produce(KafkaProducer<String, String> producer) {
        try {
            for (int i = 0; i < RECORDS; i++) {
                String key = "r-" + i;
                producer.send(new ProducerRecord<>(TOPIC, key, key), (metadata, error) -> landed(key, metadata));
                if (i % 100 == 99) {
                    Thread.sleep(100);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void landed(String key, RecordMetadata metadata) {
        if (metadata != null) {
            keysByOffset.computeIfAbsent(new TopicPartition(metadata.topic(), metadata.partition()),
                    p -> new ConcurrentHashMap<>()).put(metadata.offset(), key);
        }
    }

    private void awaitHandled(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (successes.size() < count) {
            assertThat(System.nanoTime()).as("%d of %d records handled", successes.size(), count)
                    .isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private void awaitHandledBy(String member, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (successes.values().stream().flatMap(List::stream).filter(s -> s.member().equals(member)).count()
                < count) {
            assertThat(System.nanoTime()).as("%d records handled by %s", count, member).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static int index(String key) {
        return Integer.parseInt(key.substring(2));
    }

    /**
     * Reads the group's committed offsets over and over, each time followed by the records that had
     * succeeded by then; once the producer's acknowledgements say which record sits at which offset,
     * every committed offset must lie behind records that all had succeeded when it was read.
     */
    private final class CommitAudit implements Runnable {
        private final Admin admin;
        private final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this, "rebalance-commit-audit");
        private volatile boolean running = true;

        CommitAudit(Admin admin) {
            this.admin = admin;
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(10_000);
        }

        @Override
        public void run() {
            while (running) {
                try {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                    snapshots.add(new Snapshot(new HashMap<>(committed), Set.copyOf(successes.keySet())));
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the group may be rebalancing; the next read will do
                }
            }
        }

        List<String> violations() {
            List<String> violations = new ArrayList<>();
            for (Snapshot snapshot : snapshots) {
                snapshot.committed.forEach((partition, offset) -> {
                    Map<Long, String> keys = keysByOffset.getOrDefault(partition, Map.of());
                    for (long o = 0; o < offset.offset(); o++) {
                        String key = keys.get(o);
                        if (key == null || !snapshot.succeeded.contains(key)) {
                            violations.add(partition + " committed at " + offset.offset() + " before " + o
                                    + " (" + key + ") succeeded");
                            return;
                        }
                    }
                });
            }
            return violations;
        }
    }

    private record Snapshot(Map<TopicPartition, OffsetAndMetadata> committed, Set<String> succeeded) {
    }
}
