package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsReliabilityInterfaces.POISON_JOBS;
import static dev.tracewire.sample.nats.NatsReliabilityInterfaces.POISON_STREAM;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.UndecodablePayloadException;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.nats.NatsDecodeFailureTest.StrictCodec;
import dev.tracewire.sample.nats.NatsInterfaces.Strict;
import dev.tracewire.sample.support.CapturedLog;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * A JetStream message that its codec cannot decode, between good ones, on the real server: one
 * failed process span continuing its header context, never delivered again, and the messages after
 * it handled; terminated by default, or dead-lettered to a stream with its bytes untouched.
 */
class NatsPoisonMessageTest extends NatsTestBase {

    private static final String DEAD_LETTER_STREAM = "E2E_POISON_DLQ";
    private static final String DEAD_LETTER_SUBJECT = "dlq." + POISON_JOBS;
    /** Starts with "bad", which the codec refuses, and is not UTF-8: the dead letter must keep these bytes. */
    private static final byte[] BAD = {'b', 'a', 'd', '-', (byte) 0xff, 0, (byte) 0xfe};
    private static final String TRACE_ID = "0dd0000000000000000000000000cafe";
    private static final String SENDER_SPAN = "00000000000000b2";

    @Test
    void byDefaultTheUndecodableMessageIsAFailedSpanAndTerminatedAndTheNextOnesAreHandled() throws Exception {
        Connection connection = connect();
        createStream(connection, POISON_STREAM, POISON_JOBS);
        BlockingQueue<Strict> handled = new LinkedBlockingQueue<>();
        Subscription subscription;
        try (CapturedLog log = CapturedLog.runtime(Level.WARNING)) {
            subscription = closeLater(new TracedNatsReliabilityInterfaces_PoisonJobs(handled::add, strict(options))
                    .start(connect()));
            publishGoodBadGood(connection);

            assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo(new Strict("good-1"));
            assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo(new Strict("good-2"));
            await(Duration.ofSeconds(10), "the skip logged", () -> !log.at(Level.SEVERE, "sequence 2").isEmpty());
            assertThat(log.at(Level.SEVERE, "sequence 2")).singleElement().satisfies(line ->
                    assertThat(line.getMessage()).contains("trace " + TRACE_ID).contains("skipping it"));
        }

        SpanData bad = badMessageSpan(awaitSpans("process " + POISON_JOBS, 3));
        assertThat(bad.getAttributes().get(DELIVERY_COUNT)).isEqualTo(1L);
        JetStreamManagement management = connection.jetStreamManagement();
        String durable = management.getConsumerNames(POISON_STREAM).get(0);
        await(Duration.ofSeconds(10), "all three acknowledged or terminated", () -> {
            ConsumerInfo info = consumerInfo(management, POISON_STREAM, durable);
            return info.getAckFloor().getStreamSequence() == 3 && info.getNumAckPending() == 0;
        });
        // Well past any backoff of the default policy (100 ms at first): not delivered again.
        Thread.sleep(500);
        assertThat(consumerInfo(management, POISON_STREAM, durable).getRedelivered()).isZero();
        assertThat(named(exporter.getFinishedSpanItems(), "process " + POISON_JOBS)).hasSize(3);
        assertThat(handled).isEmpty();
        assertThat(subscription.isRunning()).isTrue();
        assertThat(subscription.failure()).isEmpty();
    }

    @Test
    void withDeadLettersTheUndecodableMessageGoesToTheDeadLetterStreamWithItsBytesUntouched() throws Exception {
        Connection connection = connect();
        createStream(connection, POISON_STREAM, POISON_JOBS);
        createStream(connection, DEAD_LETTER_STREAM, DEAD_LETTER_SUBJECT);
        TracewireOptions deadLettering = strict(options.toBuilder()
                .with(NatsOptions.builder().deadLetters(NatsDeadLetters.toStream(subject -> "dlq." + subject)).build())
                .build());
        BlockingQueue<Strict> handled = new LinkedBlockingQueue<>();
        Subscription subscription = closeLater(new TracedNatsReliabilityInterfaces_PoisonJobs(handled::add,
                deadLettering).start(connect()));
        publishGoodBadGood(connection);

        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo(new Strict("good-1"));
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo(new Strict("good-2"));
        JetStreamManagement management = connection.jetStreamManagement();
        await(Duration.ofSeconds(10), "the dead letter stored", () -> messageCount(management, DEAD_LETTER_STREAM) == 1);
        MessageInfo letter = management.getMessage(DEAD_LETTER_STREAM, 1);
        assertThat(letter.getSubject()).isEqualTo(DEAD_LETTER_SUBJECT);
        assertThat(letter.getData()).as("the payload, untouched").containsExactly(BAD);
        Headers headers = letter.getHeaders();
        assertThat(headers.getFirst("source")).as("the original headers").isEqualTo("legacy-scheduler");
        assertThat(headers.getFirst("nats_dlt-exception-fqcn")).isEqualTo(UndecodablePayloadException.class.getName());
        assertThat(headers.getFirst("nats_dlt-exception-cause-fqcn")).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(headers.getFirst("nats_dlt-exception-message")).as("one line of ASCII")
                .contains("refused: bad-\\ufffd");
        assertThat(headers.getFirst("nats_dlt-original-subject")).isEqualTo(POISON_JOBS);
        assertThat(headers.getFirst("nats_dlt-original-stream")).isEqualTo(POISON_STREAM);
        assertThat(headers.getFirst("nats_dlt-original-sequence")).isEqualTo("2");
        assertThat(headers.getFirst("nats_dlt-original-consumer-group")).isEqualTo("e2e-poison");
        assertThat(headers.getFirst("nats_dlt-attempts")).isEqualTo("1");

        SpanData bad = badMessageSpan(awaitSpans("process " + POISON_JOBS, 3));
        SpanData deadLetter = awaitSpan("publish " + DEAD_LETTER_SUBJECT);
        assertThat(deadLetter.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(deadLetter.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(deadLetter.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(deadLetter.getParentSpanId()).isEqualTo(bad.getSpanId());
        assertThat(deadLetter.getLinks()).singleElement().satisfies(link ->
                assertThat(link.getSpanContext().getSpanId()).isEqualTo(SENDER_SPAN));
        assertThat(headers.get("traceparent")).containsExactly("00-" + TRACE_ID + "-" + deadLetter.getSpanId() + "-01");

        String durable = management.getConsumerNames(POISON_STREAM).get(0);
        await(Duration.ofSeconds(10), "all three acknowledged", () -> {
            ConsumerInfo info = consumerInfo(management, POISON_STREAM, durable);
            return info.getAckFloor().getStreamSequence() == 3 && info.getNumAckPending() == 0;
        });
        Thread.sleep(500);
        assertThat(consumerInfo(management, POISON_STREAM, durable).getRedelivered()).isZero();
        assertThat(named(exporter.getFinishedSpanItems(), "process " + POISON_JOBS)).hasSize(3);
        assertThat(messageCount(management, DEAD_LETTER_STREAM)).as("one dead letter").isEqualTo(1);
        assertThat(subscription.isRunning()).isTrue();
    }

    private static TracewireOptions strict(TracewireOptions options) {
        NatsOptions nats = NatsOptions.of(options).toBuilder().codec(Strict.class, new StrictCodec()).build();
        return options.toBuilder().with(nats).build();
    }

    /** Good, then the undecodable message with a sender's context and a header of its own, then good. */
    private static void publishGoodBadGood(Connection connection) throws Exception {
        connection.jetStream().publish(POISON_JOBS, "good-1".getBytes(StandardCharsets.UTF_8));
        Headers headers = new Headers();
        headers.put("traceparent", "00-" + TRACE_ID + "-" + SENDER_SPAN + "-01");
        headers.put("source", "legacy-scheduler");
        connection.jetStream().publish(POISON_JOBS, headers, BAD);
        connection.jetStream().publish(POISON_JOBS, "good-2".getBytes(StandardCharsets.UTF_8));
    }

    /** The one failed process span, checked: the undecodable message's, continuing its header context. */
    private static SpanData badMessageSpan(List<SpanData> processed) {
        assertThat(processed).hasSize(3);
        List<SpanData> failed = processed.stream()
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR).toList();
        assertThat(failed).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(UndecodablePayloadException.class.getName());
            assertThat(span.getAttributes().get(SEQUENCE)).isEqualTo(2L);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(SENDER_SPAN);
            assertThat(span.getEvents()).anyMatch(event -> event.getName().equals("exception"));
        });
        return failed.get(0);
    }
}
