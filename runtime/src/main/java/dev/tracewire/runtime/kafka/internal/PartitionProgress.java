package dev.tracewire.runtime.kafka.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What a {@link KafkaPollLoop}'s consumer owes on each partition: the offsets of finished records
 * not yet committed, and the failed record a paused partition waits to read again. As the group's
 * rebalance listener, it commits what was finished on partitions being taken away, before another
 * member reads them, and forgets what it owed on lost ones.
 *
 * <p>Touched by the loop's thread only: the commit callback and the rebalance listener run inside
 * {@code poll} and {@code commitSync}, on that thread.
 */
final class PartitionProgress implements ConsumerRebalanceListener {

    private static final System.Logger LOG = System.getLogger(PartitionProgress.class.getName());

    private final Consumer<?, ?> consumer;
    private final String interfaceName;
    /** Offsets finished and not yet committed, by partition. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    /** Partitions paused for the retry of a failed record. */
    private final Map<TopicPartition, Retry> retries = new HashMap<>();

    PartitionProgress(Consumer<?, ?> consumer, String interfaceName) {
        this.consumer = consumer;
        this.interfaceName = interfaceName;
    }

    /** The attempt that the failure of the record at {@code offset} ends: one more than its last retry's, else the first. */
    int attemptAt(TopicPartition partition, long offset) {
        Retry previous = retries.get(partition);
        return previous != null && previous.offset == offset ? previous.attempts + 1 : 1;
    }

    /** Marks a record finished (handled, skipped or dead-lettered): its offset is committed next. */
    void done(TopicPartition partition, long offset, boolean seekPast) {
        retries.remove(partition);
        if (seekPast) {
            consumer.seek(partition, offset + 1);
        }
        uncommitted.put(partition, new OffsetAndMetadata(offset + 1));
    }

    /** Reads the record at {@code offset} again once {@code backoff} has passed; its partition waits till then. */
    void retryLater(TopicPartition partition, long offset, int attempt, Duration backoff) {
        consumer.seek(partition, offset);
        consumer.pause(List.of(partition));
        retries.put(partition, new Retry(offset, attempt, System.nanoTime() + backoff.toNanos()));
    }

    /** Resumes the paused partitions whose backoff has passed. */
    void resumeDueRetries() {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Retry> entry : retries.entrySet()) {
            Retry retry = entry.getValue();
            if (retry.paused && now - retry.resumeAtNanos >= 0) {
                retry.paused = false;
                consumer.resume(List.of(entry.getKey()));
            }
        }
    }

    /** {@code pollTimeout}, or less when a paused partition is due to resume sooner. */
    Duration nextPollTimeout(Duration pollTimeout) {
        long timeout = pollTimeout.toNanos();
        long now = System.nanoTime();
        for (Retry retry : retries.values()) {
            if (retry.paused) {
                timeout = Math.min(timeout, Math.max(0, retry.resumeAtNanos - now));
            }
        }
        return Duration.ofNanos(timeout);
    }

    /** Commits what was finished since the last commit; a failed commit's offsets go with the next one. */
    void commitAsync() {
        if (uncommitted.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(uncommitted);
        uncommitted.clear();
        try {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    LOG.log(System.Logger.Level.WARNING, "tracewire: an offset commit of " + interfaceName
                            + " failed; the next commit carries the offsets again", error);
                    committed.forEach(uncommitted::putIfAbsent);
                }
            });
        } catch (WakeupException e) {
            offsets.forEach(uncommitted::putIfAbsent);
        }
    }

    /** The last commit, before the consumer closes: within {@code timeout}; a failure is logged, not thrown. */
    void commitRemaining(Duration timeout) {
        try {
            if (!uncommitted.isEmpty()) {
                commitSync(() -> consumer.commitSync(uncommitted, timeout));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: the last offset commit of " + interfaceName
                    + " failed; those records will be delivered again", e);
        } finally {
            uncommitted.clear();
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata offset = uncommitted.remove(partition);
            if (offset != null) {
                offsets.put(partition, offset);
            }
            retries.remove(partition);
        }
        if (offsets.isEmpty()) {
            return;
        }
        try {
            commitSync(() -> consumer.commitSync(offsets));
        } catch (RuntimeException e) {
            // Thrown from here, it would leave poll() and stop the loop for a fault the group rides
            // out: the partitions' next owner reads these records again (at least once).
            LOG.log(System.Logger.Level.WARNING, "tracewire: committing the offsets " + offsets + " of "
                    + interfaceName + " before their partitions were taken away failed; their next owner"
                    + " reads those records again", e);
        }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        // Positions come from the committed offsets; nothing to restore.
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            uncommitted.remove(partition);
            retries.remove(partition);
        }
    }

    /** Runs a synchronous commit; once more when a wakeup meant for {@code poll} interrupted it. */
    private static void commitSync(Runnable commit) {
        try {
            commit.run();
        } catch (WakeupException e) {
            commit.run();
        }
    }

    /** The failed record a paused partition waits to read again. */
    private static final class Retry {
        final long offset;
        final int attempts;
        final long resumeAtNanos;
        boolean paused = true;

        Retry(long offset, int attempts, long resumeAtNanos) {
            this.offset = offset;
            this.attempts = attempts;
            this.resumeAtNanos = resumeAtNanos;
        }
    }
}
