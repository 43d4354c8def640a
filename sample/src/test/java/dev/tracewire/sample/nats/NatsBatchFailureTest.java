package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsBatchInterfaces.DOOMED;
import static dev.tracewire.sample.nats.NatsBatchInterfaces.DOOMED_STREAM;
import static dev.tracewire.sample.nats.NatsBatchInterfaces.HALT;
import static dev.tracewire.sample.nats.NatsBatchInterfaces.HALT_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.nats.NatsBatchInterfaces.Job;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What a failed JetStream batch becomes on the real server when retrying is over: dead letters, one
 * per message, stored by the dead-letter stream before the messages are acknowledged; or, with
 * {@code stop()}, a stopped consumer whose batch the durable's next consumer gets again.
 */
class NatsBatchFailureTest extends NatsTestBase {

    private static final String DEAD_LETTER_STREAM = "BATCH_DOOMED_DLQ";
    private static final String DEAD_LETTER_SUBJECT = "dlq." + DOOMED;

    @Test
    void aBatchThatFailsEveryAttemptIsDeadLetteredMessageByMessageThenAcknowledged() throws Exception {
        Connection connection = connect();
        createStream(connection, DOOMED_STREAM, DOOMED);
        createStream(connection, DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT);
        NatsBatchInterfaces.Jobs jobs = new TracedNatsBatchInterfaces_Jobs(connection, options);
        Map<Long, Job> sent = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            Job job = new Job("doomed-" + i, i);
            sent.put(jobs.queuedDoomed(job).getSeqno(), job);
        }
        TracewireOptions deadLettering = options.toBuilder()
                .errorPolicy(ErrorPolicy.retry(2, Duration.ofMillis(10), Duration.ofMillis(50)).thenDeadLetter())
                .with(NatsOptions.builder().batchSize(3).batchMaxWait(Duration.ofMillis(500))
                        .deadLetters(NatsDeadLetters.toStream()).build())
                .build();
        Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        Subscription workers = closeLater(new TracedNatsBatchInterfaces_DoomedWorkers(list -> {
            list.forEach(job -> calls.computeIfAbsent(job.id(), id -> new AtomicInteger()).incrementAndGet());
            throw new IllegalStateException("no worker takes " + list.size() + " jobs");
        }, deadLettering).start(connect()));

        JetStreamManagement management = connection.jetStreamManagement();
        await(Duration.ofSeconds(30), "three dead letters stored", () -> messageCount(management, DEAD_LETTER_STREAM) == 3);
        String durable = management.getConsumerNames(DOOMED_STREAM).get(0);
        await(Duration.ofSeconds(10), "every job acknowledged", () -> {
            ConsumerInfo info = consumerInfo(management, DOOMED_STREAM, durable);
            return info.getAckFloor().getStreamSequence() == 3 && info.getNumAckPending() == 0
                    && info.getNumPending() == 0;
        });

        List<SpanData> spans = exporter.getFinishedSpanItems();
        Map<String, SpanData> byId = new HashMap<>();
        spans.forEach(span -> byId.put(span.getSpanId(), span));
        List<String> letteredSequences = new ArrayList<>();
        for (long sequence = 1; sequence <= 3; sequence++) {
            MessageInfo letter = management.getMessage(DEAD_LETTER_STREAM, sequence);
            Headers headers = letter.getHeaders();
            long original = Long.parseLong(headers.getFirst("nats_dlt-original-sequence"));
            letteredSequences.add(Long.toString(original));
            assertThat(letter.getData()).as("the original bytes")
                    .isEqualTo(management.getMessage(DOOMED_STREAM, original).getData());
            assertThat(headers.getFirst("nats_dlt-original-subject")).isEqualTo(DOOMED);
            assertThat(headers.getFirst("nats_dlt-original-stream")).isEqualTo(DOOMED_STREAM);
            assertThat(headers.getFirst("nats_dlt-original-consumer-group")).isEqualTo("batch-doomed-workers");
            assertThat(headers.getFirst("nats_dlt-exception-fqcn")).isEqualTo(IllegalStateException.class.getName());
            assertThat(headers.getFirst("nats_dlt-attempts")).isEqualTo("2");
            assertThat(sent).containsKey(original);
        }
        assertThat(letteredSequences).containsExactlyInAnyOrder("1", "2", "3");

        List<SpanData> deadLetterSpans = named(spans, "publish " + DEAD_LETTER_SUBJECT);
        assertThat(deadLetterSpans).hasSize(3).allSatisfy(deadLetter -> {
            assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
            SpanData batch = byId.get(deadLetter.getParentSpanId());
            assertThat(batch).as("child of the last failed batch span").isNotNull();
            assertThat(batch.getName()).isEqualTo("process " + DOOMED);
            assertThat(batch.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            SpanData publish = byId.get(deadLetter.getLinks().get(0).getSpanContext().getSpanId());
            assertThat(publish).as("linked to its message's publish span").isNotNull();
            assertThat(publish.getName()).isEqualTo("publish " + DOOMED);
        });
        assertThat(deadLetterSpans).extracting(span -> span.getLinks().get(0).getSpanContext().getSpanId())
                .as("one dead letter per message").doesNotHaveDuplicates();
        Thread.sleep(300);
        assertThat(calls).as("each job handled on two attempts, then dead-lettered").hasSize(3)
                .allSatisfy((id, count) -> assertThat(count).hasValue(2));
        assertThat(messageCount(management, DEAD_LETTER_STREAM)).isEqualTo(3);
        assertThat(workers.isRunning()).as("dead-lettering does not stop the consumer").isTrue();
    }

    @Test
    void aBatchWhosePolicyStopsStopsTheConsumerAndTheDurablesNextConsumerGetsEveryMessageAgain() throws Exception {
        Connection connection = connect();
        createStream(connection, HALT_STREAM, HALT);
        NatsBatchInterfaces.Jobs jobs = new TracedNatsBatchInterfaces_Jobs(connection, options);
        List<Job> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Job job = new Job("halt-" + i, i);
            PublishAck ack = jobs.queuedHalt(job);
            assertThat(ack.getSeqno()).isEqualTo(i + 1L);
            sent.add(job);
        }
        TracewireOptions stopping = options.toBuilder().errorPolicy(ErrorPolicy.stop())
                .with(NatsOptions.builder().batchSize(3).batchMaxWait(Duration.ofMillis(500)).build()).build();
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        Subscription stopped = closeLater(new TracedNatsBatchInterfaces_HaltingWorkers(list -> {
            calls.incrementAndGet();
            RuntimeException failure = new IllegalStateException("halt on " + list.size() + " jobs");
            thrown.compareAndSet(null, failure);
            throw failure;
        }, stopping).start(connect()));

        assertThat(stopped.awaitTermination(Duration.ofSeconds(30))).as("stopped by the policy").isTrue();
        assertThat(stopped.isRunning()).isFalse();
        assertThat(stopped.failure()).as("the method's exception").containsSame(thrown.get());
        assertThat(calls).as("not called again by the stopped consumer").hasValue(1);
        SpanData failed = awaitSpan("process " + HALT);
        assertThat(failed.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        JetStreamManagement management = connection.jetStreamManagement();
        String durable = management.getConsumerNames(HALT_STREAM).get(0);
        assertThat(consumerInfo(management, HALT_STREAM, durable).getAckFloor().getStreamSequence())
                .as("nothing acknowledged").isZero();

        BlockingQueue<Job> again = new LinkedBlockingQueue<>();
        Subscription next = closeLater(new TracedNatsBatchInterfaces_HaltingWorkers(again::addAll, stopping)
                .start(connect()));
        List<Job> received = new ArrayList<>();
        while (received.size() < sent.size()) {
            Job job = again.poll(30, TimeUnit.SECONDS);
            assertThat(job).as("the stopped batch's jobs, so far %s", received).isNotNull();
            received.add(job);
        }
        assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
        await(Duration.ofSeconds(10), "every job acknowledged", () ->
                consumerInfo(management, HALT_STREAM, durable).getAckFloor().getStreamSequence() == 3);
        assertThat(management.getConsumerNames(HALT_STREAM)).as("the same durable").containsExactly(durable);
        assertThat(next.isRunning()).isTrue();
        assertThat(calls).hasValue(1);
    }
}
