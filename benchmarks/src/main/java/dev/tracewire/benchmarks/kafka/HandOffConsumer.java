package dev.tracewire.benchmarks.kafka;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@code MockConsumer} whose {@code poll} waits (spinning, allocating nothing) until the
 * benchmark thread has {@linkplain #release() released} a batch, as a real poll blocks until
 * records arrive, and which counts the poll loop's commits so the benchmark thread knows when a
 * batch has been handled and committed. An empty {@code MockConsumer.poll} returns at once and
 * allocates; a loop spinning on it would add a varying number of empty polls to every batch.
 */
final class HandOffConsumer extends MockConsumer<byte[], byte[]> {

    private volatile boolean released;
    private volatile boolean woken;
    private volatile long commits;

    HandOffConsumer() {
        super("earliest");
    }

    /** Lets the next poll return what was added since the last one. */
    void release() {
        released = true;
    }

    /** How many times the loop committed: once per handled batch. */
    long commits() {
        return commits;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!released && !woken && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        released = false;
        return super.poll(Duration.ZERO);
    }

    @Override
    public void wakeup() {
        woken = true;
        super.wakeup();
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        super.commitAsync(offsets, callback);
        commits = commits + 1;
    }
}
