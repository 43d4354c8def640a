package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.AgentInstrumentation;
import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.internal.ConsumerState;
import dev.tracewire.runtime.internal.FailureStep;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.kafka.KafkaOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A poll loop on its own thread, at least once: a record's offset is committed only after its
 * handler returned, or after the {@link FailureStep} chose to skip it or its dead letter was
 * acknowledged; a record that cannot be deserialized is such a failure too, never the end of the loop. A failed record that is to
 * be retried pauses its partition until its backoff has passed and is then read again from the
 * broker; other partitions keep flowing. Closing finishes the record in flight, commits, and
 * closes the consumer, all within {@link KafkaOptions#closeTimeout()}: a handler that is still
 * running when three quarters of it have passed is interrupted and its record left uncommitted.
 * A batch method gets the records of each poll for its topic at once (at most the consumer's
 * {@code max.poll.records}), and its batch is committed, retried, skipped or dead-lettered as one.
 */
final class KafkaPollLoop<K, V> extends ConsumerState implements Runnable {

    private static final System.Logger LOG = System.getLogger(KafkaPollLoop.class.getName());
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();
    /** How long a record whose dead letter could not be published waits before it is tried again. */
    private static final Duration DEAD_LETTER_RETRY = Duration.ofSeconds(1);

    private final Consumer<K, V> consumer;
    private final KafkaDispatcher<K, V> dispatcher;
    private final String interfaceName;
    private final FailureStep failures;
    private final Duration pollTimeout;
    private final AgentInstrumentation agentInstrumentation;
    private final Duration closeTimeout;
    /** Where dead letters go; {@code null} when none is configured. */
    private final KafkaDeadLetterPublisher deadLetters;
    private final Thread thread;
    /** Offsets to commit and partitions paused for a retry; touched by the loop thread only. */
    private final PartitionProgress progress;
    private volatile boolean closing;
    /** When closing must be done by, in {@link System#nanoTime()}; set once, by the first close or the loop's end. */
    private long closeDeadline;
    private boolean closeDeadlineSet;
    /**
     * Guards interrupting the loop thread: a close that ran out of time interrupts it only while a
     * handler runs, never inside a Kafka call, and the loop clears the interrupt once the handler left.
     */
    private final Object handlerLock = new Object();
    private volatile boolean inHandler;
    /** Set when a close ran out of time for the record in flight; that record stays uncommitted. */
    private volatile boolean abandoned;

    private KafkaPollLoop(Consumer<K, V> consumer, KafkaDispatcher<K, V> dispatcher, String interfaceName,
            TracewireOptions options, KafkaDeadLetterPublisher deadLetters) {
        this.consumer = consumer;
        this.dispatcher = dispatcher;
        this.interfaceName = interfaceName;
        this.failures = new FailureStep(interfaceName, options.errorPolicy(), deadLetters != null);
        this.pollTimeout = KafkaOptions.of(options).pollTimeout();
        this.agentInstrumentation = KafkaOptions.of(options).agentInstrumentation();
        this.closeTimeout = KafkaOptions.of(options).closeTimeout();
        this.deadLetters = deadLetters;
        this.progress = new PartitionProgress(consumer, interfaceName);
        this.thread = new Thread(this, "tracewire-kafka-" + simpleName(interfaceName) + "-"
                + THREAD_NUMBER.incrementAndGet());
    }

    static <K, V> KafkaPollLoop<K, V> start(Consumer<K, V> consumer, KafkaDispatcher<K, V> dispatcher,
            String interfaceName, TracewireOptions options, KafkaDeadLetterPublisher deadLetters) {
        KafkaPollLoop<K, V> loop = new KafkaPollLoop<>(consumer, dispatcher, interfaceName, options, deadLetters);
        loop.thread.start();
        return loop;
    }

    @Override
    public void run() {
        try {
            KafkaAgent.leaveProcessSpansToTracewire(agentInstrumentation);
            consumer.subscribe(List.copyOf(dispatcher.topics()), progress);
            while (!closing) {
                progress.resumeDueRetries();
                ConsumerRecords<K, V> records;
                try {
                    records = consumer.poll(progress.nextPollTimeout(pollTimeout));
                } catch (WakeupException e) {
                    continue;
                } catch (RecordDeserializationException poison) {
                    handlePoison(poison);
                    continue;
                }
                handleAll(records);
                progress.commitAsync();
            }
        } catch (Throwable unexpected) {
            failedWith(unexpected);
            LOG.log(System.Logger.Level.ERROR, "tracewire: the consumer of " + interfaceName + " stopped", unexpected);
        } finally {
            shutDown();
        }
    }

    private void handleAll(ConsumerRecords<K, V> records) {
        Map<String, List<TopicPartition>> batches = null;
        for (TopicPartition partition : records.partitions()) {
            if (dispatcher.takesBatches(partition.topic())) {
                if (batches == null) {
                    batches = new LinkedHashMap<>();
                }
                batches.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(partition);
                continue;
            }
            for (ConsumerRecord<K, V> record : records.records(partition)) {
                if (closing || !handle(partition, record)) {
                    break;
                }
            }
            if (closing) {
                return;
            }
        }
        if (batches != null) {
            for (Map.Entry<String, List<TopicPartition>> batch : batches.entrySet()) {
                if (closing) {
                    return;
                }
                handleBatch(batch.getKey(), batch.getValue(), records);
            }
        }
    }

    /**
     * Hands the records of one poll for {@code topic} (from each of its {@code partitions}, in
     * order) to its batch method at once; they are committed together after it returned, and a
     * failure goes through the failure step for the batch as a whole.
     */
    private void handleBatch(String topic, List<TopicPartition> partitions, ConsumerRecords<K, V> polled) {
        List<ConsumerRecord<K, V>> batch = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            batch.addAll(polled.records(partition));
        }
        ProcessFailure failure = inHandler(() -> dispatcher.dispatchBatch(topic, batch));
        if (failure == null) {
            for (TopicPartition partition : partitions) {
                List<ConsumerRecord<K, V>> records = polled.records(partition);
                progress.done(partition, records.get(records.size() - 1).offset(), false);
            }
            return;
        }
        if (!abandoned) {
            carryOutBatch(partitions, polled, batch, failure);
        }
    }

    /**
     * Carries out what the failure step decides for a failed batch: retried as a whole (each of its
     * partitions read again from its first record of the batch, once the backoff passed), skipped,
     * dead-lettered record by record (committed only when every dead letter was acknowledged; else
     * the whole batch is read again later), or stopped on.
     */
    private void carryOutBatch(List<TopicPartition> partitions, ConsumerRecords<K, V> polled,
            List<ConsumerRecord<K, V>> batch, ProcessFailure failure) {
        int attempt = 1;
        for (TopicPartition partition : partitions) {
            attempt = Math.max(attempt, progress.attemptAt(partition, polled.records(partition).get(0).offset()));
        }
        ConsumerRecord<K, V> first = batch.get(0);
        String where = first.topic() + " batch of " + batch.size() + " from " + first.partition() + "@"
                + first.offset();
        ErrorPolicy.Decision decision = failures.decide(failure, attempt, where, FailureStep.Redelivery.POSSIBLE);
        switch (decision.action()) {
            case RETRY -> retryBatchLater(partitions, polled, attempt, decision.backoff());
            case SKIP -> partitions.forEach(partition -> progress.done(partition, last(polled, partition), false));
            case DEAD_LETTER -> {
                Throwable notPublished = null;
                for (ConsumerRecord<K, V> record : batch) {
                    Throwable result = deadLetters.publish(record, failure, attempt, dispatcher.carried(record));
                    notPublished = notPublished == null ? result : notPublished;
                }
                if (notPublished == null) {
                    partitions.forEach(partition -> progress.done(partition, last(polled, partition), false));
                    return;
                }
                LOG.log(System.Logger.Level.ERROR, "tracewire: a dead letter of the " + where + " (trace "
                        + failure.traceId() + ") could not be published; the batch stays uncommitted and is read"
                        + " again in " + DEAD_LETTER_RETRY.toMillis() + " ms", notPublished);
                retryBatchLater(partitions, polled, attempt, DEAD_LETTER_RETRY);
            }
            case STOP -> {
                failedWith(failure.cause());
                closing = true;
            }
            default -> throw new AssertionError(decision.action());
        }
    }

    private void retryBatchLater(List<TopicPartition> partitions, ConsumerRecords<K, V> polled, int attempt,
            Duration backoff) {
        for (TopicPartition partition : partitions) {
            progress.retryLater(partition, polled.records(partition).get(0).offset(), attempt, backoff);
        }
    }

    private static long last(ConsumerRecords<?, ?> polled, TopicPartition partition) {
        List<? extends ConsumerRecord<?, ?>> records = polled.records(partition);
        return records.get(records.size() - 1).offset();
    }

    /** Handles one record; whether the records behind it on its partition may follow now. */
    private boolean handle(TopicPartition partition, ConsumerRecord<K, V> record) {
        ProcessFailure failure = dispatch(record);
        if (failure == null) {
            progress.done(partition, record.offset(), false);
            return true;
        }
        if (abandoned) {
            // Interrupted by a close that ran out of time: not a failure to decide on; delivered again.
            return false;
        }
        return carryOut(partition, record, failure, true);
    }

    /** Runs the record's handler, where a close that ran out of time may interrupt it. */
    private ProcessFailure dispatch(ConsumerRecord<K, V> record) {
        return inHandler(() -> dispatcher.dispatch(record));
    }

    /** Runs a handler (through {@code dispatch}), where a close that ran out of time may interrupt it. */
    private ProcessFailure inHandler(Supplier<ProcessFailure> dispatch) {
        inHandler = true;
        try {
            return dispatch.get();
        } finally {
            inHandler = false;
            if (abandoned) {
                synchronized (handlerLock) {
                    Thread.interrupted(); // the close's interrupt must not fail the commit and close that follow
                }
            }
        }
    }

    /**
     * A record that cannot be deserialized fails the same way every time: it goes through the
     * failure step as not retryable (a process span, then dead-lettered with its raw bytes, skipped
     * or stopped on, as the policy says), and the loop seeks past it instead of stopping at it for
     * good.
     */
    private void handlePoison(RecordDeserializationException poison) {
        ConsumerRecord<Object, Object> raw = KafkaDispatcher.raw(poison);
        carryOut(poison.topicPartition(), raw, dispatcher.poison(raw, poison), false);
    }

    /**
     * Carries out what the failure step decides for a failed record (a poisoned one is not
     * {@code retryable}, and the consumer's position must be moved past it); whether the records
     * behind it on its partition may follow now.
     */
    private boolean carryOut(TopicPartition partition, ConsumerRecord<?, ?> record, ProcessFailure failure,
            boolean retryable) {
        int attempt = progress.attemptAt(partition, record.offset());
        String where = record.topic() + "-" + record.partition() + "@" + record.offset();
        ErrorPolicy.Decision decision =
                failures.decide(failure, attempt, where, FailureStep.Redelivery.POSSIBLE, retryable);
        switch (decision.action()) {
            case RETRY -> {
                progress.retryLater(partition, record.offset(), attempt, decision.backoff());
                return false;
            }
            case SKIP -> {
                progress.done(partition, record.offset(), !retryable);
                return true;
            }
            case DEAD_LETTER -> {
                Throwable notPublished = deadLetters.publish(record, failure, attempt, dispatcher.carried(record));
                if (notPublished == null) {
                    progress.done(partition, record.offset(), !retryable);
                    return true;
                }
                LOG.log(System.Logger.Level.ERROR, "tracewire: the dead letter of " + where + " (trace "
                        + failure.traceId() + ") could not be published; the record stays uncommitted and is tried"
                        + " again in " + DEAD_LETTER_RETRY.toMillis() + " ms", notPublished);
                progress.retryLater(partition, record.offset(), attempt, DEAD_LETTER_RETRY);
                return false;
            }
            case STOP -> {
                failedWith(failure.cause());
                closing = true;
                return false;
            }
            default -> throw new AssertionError(decision.action());
        }
    }

    /**
     * Commits what was handled and closes the consumer, in what is left of the close timeout (less a
     * tenth of it, at most 200 ms, so that a Kafka call that overruns its timeout a little still
     * ends before the close returns).
     */
    private void shutDown() {
        long finishBy = closeDeadline() - Math.min(closeTimeout.toNanos() / 10, TimeUnit.MILLISECONDS.toNanos(200));
        progress.commitRemaining(remaining(finishBy));
        try {
            consumer.close(CloseOptions.timeout(remaining(finishBy)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: closing the consumer of " + interfaceName + " failed", e);
        } finally {
            markStopped();
        }
    }

    /**
     * Stops the loop and waits until it committed and closed the consumer, or until the close
     * timeout has passed; a handler still running at three quarters of it is interrupted.
     */
    @Override
    public void close() {
        closing = true;
        if (Thread.currentThread() == thread) {
            return;
        }
        long deadline = closeDeadline();
        consumer.wakeup();
        if (awaitStoppedUninterruptibly(deadline - closeTimeout.toNanos() / 4)) {
            return;
        }
        synchronized (handlerLock) {
            abandoned = true;
            if (inHandler) {
                thread.interrupt();
            }
        }
        if (!awaitStoppedUninterruptibly(deadline)) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: the consumer of " + interfaceName + " did not stop within "
                    + closeTimeout.toMillis() + " ms (" + (inHandler ? "a handler ignores its interruption; its record"
                    + " stays uncommitted" : "the Kafka client overran its timeout") + "); thread " + thread.getName()
                    + " closes the consumer when it can");
        }
    }

    private synchronized long closeDeadline() {
        if (!closeDeadlineSet) {
            closeDeadline = System.nanoTime() + closeTimeout.toNanos();
            closeDeadlineSet = true;
        }
        return closeDeadline;
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
    }

    @Override
    public String toString() {
        return "Subscription[" + interfaceName + ", topics=" + dispatcher.topics() + ", running=" + isRunning() + "]";
    }

    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }
}
