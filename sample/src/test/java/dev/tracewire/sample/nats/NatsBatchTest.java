package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsBatchInterfaces.FLAKY;
import static dev.tracewire.sample.nats.NatsBatchInterfaces.FLAKY_STREAM;
import static dev.tracewire.sample.nats.NatsBatchInterfaces.JOBS;
import static dev.tracewire.sample.nats.NatsBatchInterfaces.JOBS_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.nats.NatsBatchInterfaces.Job;
import dev.tracewire.sample.support.SharedNats;
import dev.tracewire.sample.support.TracewireThreads;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.PublishAck;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JetStream batch methods on the real server: a fetched batch is one CONSUMER span
 * {@code process <subject>} with {@code messaging.batch.message_count} and a link to each message's
 * context carrying its stream and sequence; the method runs inside it; the messages are
 * acknowledged after it returned, or nak'd together and fetched again when it failed.
 */
@ExtendWith(SharedNats.Extension.class)
class NatsBatchTest extends NatsTestBase {

    private static final AttributeKey<Long> BATCH_COUNT = AttributeKey.longKey("messaging.batch.message_count");
    private static final AttributeKey<String> STREAM = AttributeKey.stringKey("messaging.nats.stream");
    private static final AttributeKey<Long> SEQUENCE = AttributeKey.longKey("messaging.nats.sequence");

    record Batch(List<Job> jobs, SpanContext span) {
    }

    @Test
    void aFetchedBatchIsOneProcessSpanLinkedToEachMessagesContext() throws Exception {
        Connection connection = connect();
        createStream(connection, JOBS_STREAM, JOBS);
        NatsBatchInterfaces.Jobs jobs = new TracedNatsBatchInterfaces_Jobs(connection, options);
        Map<Long, Job> sent = new HashMap<>();
        for (int i = 0; i < 16; i++) {
            Job job = new Job("job-" + i, i);
            PublishAck ack = jobs.queued(job);
            sent.put(ack.getSeqno(), job);
        }
        TracewireOptions batching = options.toBuilder()
                .with(NatsOptions.builder().batchSize(16).batchMaxWait(Duration.ofMillis(500)).build()).build();
        BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
        Set<String> threadsBefore = TracewireThreads.alive();
        Subscription workers = closeLater(new TracedNatsBatchInterfaces_Workers(
                list -> batches.add(new Batch(List.copyOf(list), Span.current().getSpanContext())), batching)
                .start(connection));

        List<Batch> handled = take(batches, 16);
        List<SpanData> spans = awaitSpans(found -> processSpans(found, JOBS).size() == handled.size());
        Map<String, SpanData> publishes = new HashMap<>();
        spans.stream().filter(span -> span.getKind() == SpanKind.PRODUCER)
                .forEach(span -> publishes.put(span.getSpanId(), span));
        List<Long> linkedSequences = new ArrayList<>();
        for (Batch batch : handled) {
            SpanData process = processSpans(spans, JOBS).stream()
                    .filter(span -> span.getSpanId().equals(batch.span().getSpanId())).findFirst().orElseThrow();
            assertThat(process.getAttributes().get(BATCH_COUNT)).isEqualTo((long) batch.jobs().size());
            assertThat(process.getLinks()).hasSize(batch.jobs().size());
            for (int i = 0; i < process.getLinks().size(); i++) {
                LinkData link = process.getLinks().get(i);
                SpanData publish = publishes.get(link.getSpanContext().getSpanId());
                assertThat(publish).as("a link to a publish span").isNotNull();
                assertThat(link.getAttributes().get(STREAM)).isEqualTo(JOBS_STREAM);
                assertThat(link.getAttributes().get(SEQUENCE)).isEqualTo(publish.getAttributes().get(SEQUENCE));
                assertThat(sent.get(link.getAttributes().get(SEQUENCE))).isEqualTo(batch.jobs().get(i));
                linkedSequences.add(link.getAttributes().get(SEQUENCE));
            }
        }
        assertThat(linkedSequences).containsExactlyInAnyOrderElementsOf(sent.keySet());
        assertThat(handled.get(0).jobs()).hasSize(16);
        printBatch(processSpans(spans, JOBS).get(0));
        JetStreamManagement management = connection.jetStreamManagement();
        awaitSpans(found -> acknowledgedAll(management, JOBS_STREAM, "batch-workers_batch_jobs"));
        workers.close();
        assertThat(workers.isRunning()).isFalse();
        assertThat(TracewireThreads.awaitOnly(threadsBefore, Duration.ofSeconds(10))).isEmpty();
    }

    @Test
    void aFailedBatchIsNakdAndFetchedAgainAsAWhole() throws Exception {
        Connection connection = connect();
        createStream(connection, FLAKY_STREAM, FLAKY);
        NatsBatchInterfaces.Jobs jobs = new TracedNatsBatchInterfaces_Jobs(connection, options);
        for (int i = 0; i < 4; i++) {
            jobs.queuedFlaky(new Job("flaky-" + i, i));
        }
        TracewireOptions retrying = options.toBuilder()
                .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(50), Duration.ofMillis(50)).thenSkip())
                .with(NatsOptions.builder().batchSize(4).batchMaxWait(Duration.ofMillis(500)).build()).build();
        BlockingQueue<Batch> batches = new LinkedBlockingQueue<>();
        AtomicInteger calls = new AtomicInteger();
        closeLater(new TracedNatsBatchInterfaces_FlakyWorkers(list -> {
            batches.add(new Batch(List.copyOf(list), Span.current().getSpanContext()));
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("workers busy");
            }
        }, retrying).start(connection));

        List<Job> retried = new ArrayList<>();
        Batch failed = batches.poll(30, TimeUnit.SECONDS);
        assertThat(failed).isNotNull();
        while (retried.size() < failed.jobs().size()) {
            Batch again = batches.poll(30, TimeUnit.SECONDS);
            assertThat(again).as("the failed batch's jobs again").isNotNull();
            retried.addAll(again.jobs());
        }
        assertThat(retried).containsExactlyInAnyOrderElementsOf(failed.jobs());
        SpanData first = awaitSpans(found -> processSpans(found, FLAKY).size() >= 2).stream()
                .filter(span -> span.getSpanId().equals(failed.span().getSpanId())).findFirst().orElseThrow();
        assertThat(first.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        JetStreamManagement management = connection.jetStreamManagement();
        awaitSpans(found -> acknowledgedAll(management, FLAKY_STREAM, "batch-flaky-workers_batch_flaky"));
    }

    private static List<Batch> take(BlockingQueue<Batch> batches, int jobs) throws InterruptedException {
        List<Batch> taken = new ArrayList<>();
        int count = 0;
        while (count < jobs) {
            Batch batch = batches.poll(30, TimeUnit.SECONDS);
            assertThat(batch).as("batches with %s jobs so far", count).isNotNull();
            taken.add(batch);
            count += batch.jobs().size();
        }
        return taken;
    }

    private static List<SpanData> processSpans(List<SpanData> spans, String subject) {
        return spans.stream().filter(span -> span.getKind() == SpanKind.CONSUMER)
                .filter(span -> span.getName().equals("process " + subject)).toList();
    }

    /** Whether the durable consumer has every message of the stream acknowledged. */
    private static boolean acknowledgedAll(JetStreamManagement management, String stream, String durable) {
        try {
            ConsumerInfo info = management.getConsumerInfo(stream, durable);
            return info.getNumAckPending() == 0 && info.getNumPending() == 0
                    && info.getAckFloor().getStreamSequence() == management.getStreamInfo(stream).getStreamState()
                            .getLastSequence();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void printBatch(SpanData batch) {
        StringBuilder tree = new StringBuilder("[batch span] ").append(batch.getKind()).append(' ')
                .append(batch.getName()).append(' ').append(batch.getAttributes().asMap()).append('\n');
        for (LinkData link : batch.getLinks()) {
            tree.append("  link -> trace ").append(link.getSpanContext().getTraceId()).append(" span ")
                    .append(link.getSpanContext().getSpanId()).append(' ').append(link.getAttributes().asMap())
                    .append('\n');
        }
        System.out.print(tree);
    }
}
