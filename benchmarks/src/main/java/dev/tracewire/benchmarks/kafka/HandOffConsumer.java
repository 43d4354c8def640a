package dev.tracewire.benchmarks.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;

/**
 * A {@code MockConsumer} that behaves like a real one where it matters to a poll loop benchmark:
 * the loop gets records only after the benchmark {@linkplain #release(long) released} them, and
 * once it has committed the offset the release named, {@code poll} blocks (up to its timeout)
 * until the next release, instead of returning empty at once and allocating on every turn of
 * the loop, or taking records the benchmark is still queueing for the next invocation. The
 * benchmark thread sleeps until the loop has committed that offset.
 */
final class HandOffConsumer extends MockConsumer<byte[], byte[]> {

    private final Semaphore released = new Semaphore(0);
    /** The highest offset committed so far (commits carry the next offset to read). */
    private volatile long committed;
    /** The offset the current release runs to. */
    private volatile long target;
    private volatile Thread waiter;

    HandOffConsumer() {
        super("earliest");
    }

    /** Lets the loop take records until it has committed offset {@code target}. */
    void release(long target) {
        this.waiter = Thread.currentThread();
        this.target = target;
        released.release();
    }

    /** Blocks the calling thread until the loop has committed offset {@code target}. */
    void awaitCommitted(long target, long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (committed < target) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the poll loop committed offset " + committed + ", not " + target);
            }
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
        if (committed < target) {
            ConsumerRecords<byte[], byte[]> records = super.poll(Duration.ZERO);
            if (!records.isEmpty()) {
                return records;
            }
        }
        try {
            if (!released.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return ConsumerRecords.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ConsumerRecords.empty();
        }
        return super.poll(Duration.ZERO);
    }

    @Override
    public void wakeup() {
        super.wakeup();
        released.release();
    }

    @Override
    public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        super.commitAsync(offsets, callback);
        for (OffsetAndMetadata offset : offsets.values()) {
            if (offset.offset() > committed) {
                committed = offset.offset();
            }
        }
        if (committed >= target) {
            LockSupport.unpark(waiter);
        }
    }
}
