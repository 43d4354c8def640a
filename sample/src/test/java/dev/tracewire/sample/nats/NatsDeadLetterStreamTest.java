package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsReliabilityInterfaces.DOOMED_JOBS;
import static dev.tracewire.sample.nats.NatsReliabilityInterfaces.DOOMED_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.nats.NatsInterfaces.JobRejectedException;
import dev.tracewire.sample.support.CapturedLog;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * {@code retry(3, 10 ms, 50 ms).thenDeadLetter()} on JetStream: a handler that always fails for one
 * job, whose dead letter the dead-letter stream acknowledges (then the job is acknowledged) or
 * nobody stores (then the job stays unacknowledged and is handled again).
 */
class NatsDeadLetterStreamTest extends NatsTestBase {

    private static final ErrorPolicy THREE_TRIES_THEN_DEAD_LETTER =
            ErrorPolicy.retry(3, Duration.ofMillis(10), Duration.ofMillis(50)).thenDeadLetter();
    private static final String DEAD_LETTER_STREAM = "E2E_DOOMED_DLQ";
    private static final String DEAD_LETTER_SUBJECT = "dlq." + DOOMED_JOBS;

    @Test
    void afterThreeFailedAttemptsTheJobIsDeadLetteredToTheStreamWithItsBytesHeadersAndTraceThenAcknowledged()
            throws Exception {
        Connection connection = connect();
        createStream(connection, DOOMED_STREAM, DOOMED_JOBS);
        createStream(connection, DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        AtomicInteger doomedCalls = new AtomicInteger();
        Subscription subscription = closeLater(new TracedNatsReliabilityInterfaces_DoomedJobs(
                doomedUnless(handled, doomedCalls), deadLettering(NatsDeadLetters.toStream())).start(connect()));
        NatsReliabilityInterfaces.DoomedJobsPublisher publisher =
                new TracedNatsReliabilityInterfaces_DoomedJobsPublisher(connection, options);

        publisher.job("job-1", "acme");
        PublishAck doomed = publisher.job("doomed: überweisung", "acme");
        publisher.job("job-3", "acme");

        assertThat(List.of(poll(handled), poll(handled))).containsExactlyInAnyOrder("job-1", "job-3");
        JetStreamManagement management = connection.jetStreamManagement();
        await(Duration.ofSeconds(10), "the dead letter stored", () -> messageCount(management, DEAD_LETTER_STREAM) == 1);
        MessageInfo letter = management.getMessage(DEAD_LETTER_STREAM, 1);
        assertThat(new String(letter.getData(), StandardCharsets.UTF_8)).isEqualTo("doomed: überweisung");
        Headers headers = letter.getHeaders();
        assertThat(headers.getFirst("tenant")).isEqualTo("acme");
        assertThat(headers.getFirst("nats_dlt-exception-fqcn")).isEqualTo(JobRejectedException.class.getName());
        assertThat(headers.getFirst("nats_dlt-exception-message"))
                .isEqualTo("will never take doomed: \\u00fcberweisung");
        assertThat(headers.getFirst("nats_dlt-original-subject")).isEqualTo(DOOMED_JOBS);
        assertThat(headers.getFirst("nats_dlt-original-stream")).isEqualTo(DOOMED_STREAM);
        assertThat(headers.getFirst("nats_dlt-original-sequence")).isEqualTo(Long.toString(doomed.getSeqno()));
        assertThat(headers.getFirst("nats_dlt-original-consumer-group")).isEqualTo("e2e-doomed");
        assertThat(headers.getFirst("nats_dlt-attempts")).isEqualTo("3");
        assertThat(headers.keySet()).as("no stack trace: header values are one line")
                .noneMatch(name -> name.contains("stacktrace"));

        SpanData publish = publishSpanOf(doomed);
        List<SpanData> attempts = failedAttempts(3);
        assertThat(attempts).extracting(span -> span.getAttributes().get(DELIVERY_COUNT)).containsExactly(1L, 2L, 3L);
        assertThat(attempts).allSatisfy(span -> {
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(JobRejectedException.class.getName());
            assertThat(span.getParentSpanId()).isEqualTo(publish.getSpanId());
        });
        SpanData deadLetter = awaitSpan("publish " + DEAD_LETTER_SUBJECT);
        assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(deadLetter.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(deadLetter.getTraceId()).isEqualTo(publish.getTraceId());
        assertThat(deadLetter.getParentSpanId()).as("child of the last failed attempt")
                .isEqualTo(attempts.get(2).getSpanId());
        assertThat(deadLetter.getLinks()).singleElement().satisfies(link ->
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(publish.getSpanId()));
        assertThat(headers.get("traceparent")).containsExactly("00-" + publish.getTraceId() + "-"
                + deadLetter.getSpanId() + "-" + deadLetter.getSpanContext().getTraceFlags().asHex());

        String durable = management.getConsumerNames(DOOMED_STREAM).get(0);
        await(Duration.ofSeconds(10), "every job acknowledged", () -> {
            ConsumerInfo info = consumerInfo(management, DOOMED_STREAM, durable);
            return info.getAckFloor().getStreamSequence() == 3 && info.getNumAckPending() == 0;
        });
        Thread.sleep(300);
        assertThat(doomedCalls).hasValue(3);
        assertThat(messageCount(management, DEAD_LETTER_STREAM)).isEqualTo(1);
        assertThat(subscription.isRunning()).isTrue();
    }

    @Test
    void whenNoStreamTakesTheDeadLetterTheJobStaysUnacknowledgedAndIsHandledAgain() throws Exception {
        Connection connection = connect();
        createStream(connection, DOOMED_STREAM, DOOMED_JOBS);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        AtomicInteger doomedCalls = new AtomicInteger();
        NatsReliabilityInterfaces.DoomedJobsPublisher publisher =
                new TracedNatsReliabilityInterfaces_DoomedJobsPublisher(connection, options);
        JetStreamManagement management = connection.jetStreamManagement();

        try (CapturedLog log = CapturedLog.runtime(Level.WARNING)) {
            Subscription subscription = new TracedNatsReliabilityInterfaces_DoomedJobs(
                    doomedUnless(handled, doomedCalls),
                    deadLettering(NatsDeadLetters.toStream(subject -> "nowhere." + subject))).start(connect());
            try {
                publisher.job("job-1", "acme");
                PublishAck doomed = publisher.job("doomed", "acme");
                publisher.job("job-3", "acme");
                assertThat(List.of(poll(handled), poll(handled))).containsExactlyInAnyOrder("job-1", "job-3");
                // 3 attempts, a dead letter nobody stores, the job again 1 s later (attempt 4), whose
                // dead letter fails as well, and attempt 5.
                await(Duration.ofSeconds(30), "the job handled again", () -> doomedCalls.get() >= 5);
                String durable = management.getConsumerNames(DOOMED_STREAM).get(0);
                ConsumerInfo info = consumerInfo(management, DOOMED_STREAM, durable);
                assertThat(info.getAckFloor().getStreamSequence()).as("acknowledged up to the job only")
                        .isEqualTo(doomed.getSeqno() - 1);
                assertThat(info.getNumAckPending()).isEqualTo(1);
                assertThat(subscription.isRunning()).isTrue();
                assertThat(log.at(Level.SEVERE, "the dead letter of " + DOOMED_JOBS + " (stream " + DOOMED_STREAM
                        + ", sequence " + doomed.getSeqno() + ")")).hasSizeGreaterThanOrEqualTo(2)
                        .allSatisfy(line -> assertThat(line.getMessage()).contains("could not be published")
                                .contains("trace " + publishSpanOf(doomed).getTraceId()));
            } finally {
                subscription.close();
            }
        }
        List<SpanData> deadLetters = named(exporter.getFinishedSpanItems(), "publish nowhere." + DOOMED_JOBS);
        assertThat(deadLetters).hasSizeGreaterThanOrEqualTo(2).allSatisfy(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getAttributes().get(ERROR_TYPE)).isNotBlank();
        });
    }

    private TracewireOptions deadLettering(NatsDeadLetters deadLetters) {
        return options.toBuilder()
                .errorPolicy(THREE_TRIES_THEN_DEAD_LETTER)
                .with(NatsOptions.builder().deadLetters(deadLetters).build())
                .build();
    }

    private static NatsReliabilityInterfaces.DoomedJobs doomedUnless(BlockingQueue<String> handled,
            AtomicInteger doomedCalls) {
        return (job, tenant) -> {
            if (job.startsWith("doomed")) {
                doomedCalls.incrementAndGet();
                throw new JobRejectedException("will never take " + job);
            }
            handled.add(job);
        };
    }

    private SpanData publishSpanOf(PublishAck ack) {
        return named(exporter.getFinishedSpanItems(), "publish " + DOOMED_JOBS).stream()
                .filter(span -> Long.valueOf(ack.getSeqno()).equals(span.getAttributes().get(SEQUENCE)))
                .findFirst().orElseThrow();
    }

    private List<SpanData> failedAttempts(int count) throws InterruptedException {
        return awaitSpans(spans -> errors(spans).size() >= count).stream()
                .filter(span -> !errors(List.of(span)).isEmpty())
                .sorted(Comparator.comparing(span -> span.getAttributes().get(DELIVERY_COUNT)))
                .toList();
    }

    private static List<SpanData> errors(List<SpanData> spans) {
        return named(spans, "process " + DOOMED_JOBS).stream()
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR).toList();
    }

    private static String poll(BlockingQueue<String> handled) throws InterruptedException {
        String next = handled.poll(30, TimeUnit.SECONDS);
        assertThat(next).as("the next job handled").isNotNull();
        return next;
    }
}
