package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.STRICT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.UndecodablePayloadException;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.nats.NatsInterfaces.Strict;
import io.nats.client.Connection;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A payload that its codec cannot decode fails only its own message. */
class NatsDecodeFailureTest extends NatsTestBase {

    /** Refuses payloads that start with "bad". */
    static final class StrictCodec implements Codec<Strict> {
        @Override
        public byte[] encode(Strict value) {
            return value.value().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Strict decode(byte[] data) {
            String text = new String(data, StandardCharsets.UTF_8);
            if (text.startsWith("bad")) {
                throw new IllegalArgumentException("refused: " + text);
            }
            return new Strict(text);
        }
    }

    @Test
    void aDecodeFailureIsAnErrorProcessSpanAndLaterMessagesAreStillHandled() throws Exception {
        BlockingQueue<Strict> received = new LinkedBlockingQueue<>();
        Connection subscriberConnection = connect();
        Subscription subscription = closeLater(new TracedNatsInterfaces_StrictHandler(received::add,
                options.toBuilder().with(NatsOptions.builder().codec(Strict.class, new StrictCodec()).build()).build()).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection peer = connect();

        peer.publish(STRICT, "bad-1".getBytes(StandardCharsets.UTF_8));
        peer.publish(STRICT, "good-1".getBytes(StandardCharsets.UTF_8));
        peer.publish(STRICT, "bad-2".getBytes(StandardCharsets.UTF_8));
        peer.publish(STRICT, "good-2".getBytes(StandardCharsets.UTF_8));
        peer.flush(Duration.ofSeconds(5));

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(new Strict("good-1"));
        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(new Strict("good-2"));
        List<SpanData> spans = awaitSpans("process " + STRICT, 4);
        assertThat(spans).hasSize(4);
        List<SpanData> failed = spans.stream().filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR).toList();
        assertThat(failed).hasSize(2).allSatisfy(span -> {
            assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(UndecodablePayloadException.class.getName());
            assertThat(span.getStatus().getDescription())
                    .startsWith("could not decode the payload of a message on " + STRICT + ": refused: bad-");
            assertThat(span.getEvents()).anyMatch(event -> event.getName().equals("exception"));
        });
        assertThat(subscription.isRunning()).isTrue();
        assertThat(subscription.failure()).isEmpty();
        assertThat(received).isEmpty();
    }
}
