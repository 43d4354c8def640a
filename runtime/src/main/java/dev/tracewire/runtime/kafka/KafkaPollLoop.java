package dev.tracewire.runtime.kafka;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A poll loop on its own thread, at least once: a record's offset is committed only after its
 * handler returned, or after the error policy chose to skip it. A failed record that is to be
 * retried pauses its partition until its backoff has passed and is then read again from the
 * broker; other partitions keep flowing. Closing finishes the record in flight, commits, and
 * closes the consumer.
 */
final class KafkaPollLoop<K, V> implements Subscription, Runnable {

    private static final System.Logger LOG = System.getLogger(KafkaPollLoop.class.getName());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final Consumer<K, V> consumer;
    private final KafkaDispatcher<K, V> dispatcher;
    private final String interfaceName;
    private final ErrorPolicy errorPolicy;
    private final Duration pollTimeout;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Offsets handled and not yet committed, by partition; touched by the loop thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> uncommitted = new HashMap<>();
    /** Partitions paused for the retry of a failed record; touched by the loop thread only. */
    private final Map<TopicPartition, Retry> retries = new HashMap<>();
    private volatile boolean closing;
    private volatile Throwable failure;

    private KafkaPollLoop(Consumer<K, V> consumer, KafkaDispatcher<K, V> dispatcher, String interfaceName,
            TracewireOptions options) {
        this.consumer = consumer;
        this.dispatcher = dispatcher;
        this.interfaceName = interfaceName;
        this.errorPolicy = options.errorPolicy();
        this.pollTimeout = options.pollTimeout();
        this.thread = new Thread(this, "tracewire-kafka-" + simpleName(interfaceName) + "-"
                + THREAD_NUMBER.incrementAndGet());
    }

    static <K, V> KafkaPollLoop<K, V> start(Consumer<K, V> consumer, KafkaDispatcher<K, V> dispatcher,
            String interfaceName, TracewireOptions options) {
        KafkaPollLoop<K, V> loop = new KafkaPollLoop<>(consumer, dispatcher, interfaceName, options);
        loop.thread.start();
        return loop;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.copyOf(dispatcher.topics()), new CommitOnRevoke());
            while (!closing) {
                resumeDueRetries();
                ConsumerRecords<K, V> records;
                try {
                    records = consumer.poll(nextPollTimeout());
                } catch (WakeupException e) {
                    continue;
                }
                handleAll(records);
                commitAsync();
            }
        } catch (Throwable unexpected) {
            failure = unexpected;
            LOG.log(System.Logger.Level.ERROR, "tracewire: the consumer of " + interfaceName + " stopped", unexpected);
        } finally {
            shutDown();
        }
    }

    private void handleAll(ConsumerRecords<K, V> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (closing || !handle(partition, record)) {
                    break;
                }
            }
            if (closing) {
                return;
            }
        }
    }

    /** Handles one record; whether the records behind it on its partition may follow now. */
    private boolean handle(TopicPartition partition, ConsumerRecord<K, V> record) {
        try {
            dispatcher.dispatch(record);
        } catch (Exception handlerFailure) {
            return onFailure(partition, record, handlerFailure);
        }
        retries.remove(partition);
        uncommitted.put(partition, new OffsetAndMetadata(record.offset() + 1));
        return true;
    }

    private boolean onFailure(TopicPartition partition, ConsumerRecord<K, V> record, Exception handlerFailure) {
        Retry previous = retries.get(partition);
        int attempts = previous != null && previous.offset == record.offset() ? previous.attempts + 1 : 1;
        ErrorPolicy.Decision decision = errorPolicy.decide(attempts);
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        switch (decision.action()) {
            case RETRY -> {
                LOG.log(System.Logger.Level.WARNING, "tracewire: " + interfaceName + " failed on " + where
                        + " (attempt " + attempts + "); retrying in " + decision.backoff().toMillis() + " ms",
                        handlerFailure);
                consumer.seek(partition, record.offset());
                consumer.pause(List.of(partition));
                retries.put(partition, new Retry(record.offset(), attempts,
                        System.nanoTime() + decision.backoff().toNanos()));
                return false;
            }
            case SKIP -> {
                LOG.log(System.Logger.Level.WARNING, "tracewire: " + interfaceName + " failed on " + where
                        + " (attempt " + attempts + "); skipping it as the error policy says", handlerFailure);
                retries.remove(partition);
                uncommitted.put(partition, new OffsetAndMetadata(record.offset() + 1));
                return true;
            }
            default -> {
                failure = handlerFailure;
                closing = true;
                LOG.log(System.Logger.Level.ERROR, "tracewire: " + interfaceName + " failed on " + where
                        + " (attempt " + attempts + "); stopping the consumer as the error policy says; the record"
                        + " stays uncommitted", handlerFailure);
                return false;
            }
        }
    }

    private void resumeDueRetries() {
        long now = System.nanoTime();
        for (Map.Entry<TopicPartition, Retry> entry : retries.entrySet()) {
            Retry retry = entry.getValue();
            if (retry.paused && now - retry.resumeAtNanos >= 0) {
                retry.paused = false;
                consumer.resume(List.of(entry.getKey()));
            }
        }
    }

    private Duration nextPollTimeout() {
        long timeout = pollTimeout.toNanos();
        long now = System.nanoTime();
        for (Retry retry : retries.values()) {
            if (retry.paused) {
                timeout = Math.min(timeout, Math.max(0, retry.resumeAtNanos - now));
            }
        }
        return Duration.ofNanos(timeout);
    }

    private void commitAsync() {
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

    private void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            consumer.commitSync(offsets);
        }
    }

    private void shutDown() {
        try {
            commitSync(uncommitted);
            uncommitted.clear();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: the last offset commit of " + interfaceName
                    + " failed; those records will be delivered again", e);
        }
        try {
            consumer.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: closing the consumer of " + interfaceName + " failed", e);
        } finally {
            stopped.countDown();
        }
    }

    @Override
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    @Override
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        consumer.wakeup();
        boolean interrupted = false;
        while (true) {
            try {
                stopped.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + interfaceName + ", topics=" + dispatcher.topics() + ", running=" + isRunning() + "]";
    }

    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
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

    /** Commits what was handled on partitions being taken away, before another member reads them. */
    private final class CommitOnRevoke implements ConsumerRebalanceListener {
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
            commitSync(offsets);
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
    }
}
