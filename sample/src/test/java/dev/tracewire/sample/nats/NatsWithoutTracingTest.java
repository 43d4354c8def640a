package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.EMBEDDED_QUOTES;
import static dev.tracewire.sample.nats.NatsInterfaces.QUOTES;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With {@code OpenTelemetry.noop()} the generated NATS clients skip tracing altogether and keep
 * every other promise on a real server: the user's headers and payloads as they made them,
 * handlers called, responders answered, an embedded context still taken out of a JSON payload;
 * and {@code handle(message)} routes an exact subject before wildcard ones.
 */
class NatsWithoutTracingTest extends NatsTestBase {

    static final String OVERLAP_ANY = "e2e.overlap.*";
    static final String OVERLAP_EXACT = "e2e.overlap.exact";

    /** A wildcard subject declared before an exact one it also matches. */
    @TracedConsumer
    interface Overlapping {
        @Subject(OVERLAP_ANY)
        void any(String text);

        @Subject(OVERLAP_EXACT)
        void exact(String text);
    }

    private final TracewireOptions untraced = TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build();

    @Test
    void publishesAndHandlesWithoutTouchingHeadersOrMakingSpans() throws Exception {
        Connection subscriberConnection = connect();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsInterfaces_QuoteHandler(
                (quote, tenant) -> handled.add(quote.symbol() + "/" + quote.cents() + "/" + tenant
                        + "/" + Span.current().getSpanContext().isValid()),
                untraced).start(subscriberConnection));
        Subscription raw = subscriberConnection.subscribe(QUOTES);
        subscriberConnection.flush(Duration.ofSeconds(5));
        NatsInterfaces.QuotePublisher publisher = new TracedNatsInterfaces_QuotePublisher(connect(), untraced);

        Span caller = tracer().spanBuilder("caller").startSpan();
        Scope scope = caller.makeCurrent();
        try {
            publisher.quoted(new Quote("ACME", 12), "tenant-a");
        } finally {
            scope.close();
            caller.end();
        }

        Message message = raw.nextMessage(Duration.ofSeconds(10));
        assertThat(message).as("the raw subscriber's copy").isNotNull();
        assertThat(message.getHeaders().keySet()).as("only the user's header").containsExactly("tenant");
        assertThat(message.getHeaders().getFirst("tenant")).isEqualTo("tenant-a");
        assertThat(new String(message.getData(), UTF_8)).isEqualTo("{\"symbol\":\"ACME\",\"cents\":12}");
        assertThat(handled.poll(10, TimeUnit.SECONDS)).isEqualTo("ACME/12/tenant-a/false");
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName).containsExactly("caller");
    }

    @Test
    void aResponderAnswersARequesterWithoutTracing() throws Exception {
        Connection serviceConnection = connect();
        closeLater(new TracedNatsInterfaces_QuoteService(new NatsInterfaces.QuoteService() {
            @Override
            public Quote quote(String symbol, String tenant) {
                return new Quote(symbol + "@" + tenant, 4_200);
            }

            @Override
            public Integer count(String text) {
                return text.length();
            }

            @Override
            public String slow(String text) {
                return text;
            }
        }, untraced).start(serviceConnection));
        serviceConnection.flush(Duration.ofSeconds(5));
        NatsInterfaces.QuoteClient client = new TracedNatsInterfaces_QuoteClient(connect(), untraced);

        assertThat(client.quote("ACME", "t1")).isEqualTo(new Quote("ACME@t1", 4_200));
        CompletableFuture<Integer> count = client.count("four");
        assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(exporter.getFinishedSpanItems()).isEmpty();
    }

    @Test
    void anEmbeddedContextIsStillTakenOutOfAJsonPayload() throws Exception {
        Connection subscriberConnection = connect();
        BlockingQueue<Quote> received = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsInterfaces_EmbeddedContext(new NatsInterfaces.EmbeddedContext() {
            @Override
            public void onQuote(Quote quote) {
                received.add(quote);
            }

            @Override
            public void onText(String text) {
                throw new AssertionError("no text is sent");
            }
        }, untraced).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection peer = connect();

        // Record payloads are decoded strictly (unknown fields fail), so this decodes only without the field.
        peer.publish(EMBEDDED_QUOTES, ("{\"symbol\":\"ACME\",\"cents\":7,\"_otel_trace_headers\":"
                + "{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}}").getBytes(UTF_8));
        peer.flush(Duration.ofSeconds(5));

        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo(new Quote("ACME", 7));
    }

    @Test
    void handleRoutesAnExactSubjectBeforeAWildcardDeclaredEarlier() throws Exception {
        for (TracewireOptions each : List.of(options, untraced)) {
            Connection connection = connect();
            BlockingQueue<String> calls = new LinkedBlockingQueue<>();
            TracedNatsWithoutTracingTest_Overlapping consumer = new TracedNatsWithoutTracingTest_Overlapping(
                    new Overlapping() {
                        @Override
                        public void any(String text) {
                            calls.add("any:" + text);
                        }

                        @Override
                        public void exact(String text) {
                            calls.add("exact:" + text);
                        }
                    }, each);
            Subscription own = connection.subscribe("e2e.overlap.>");
            connection.flush(Duration.ofSeconds(5));
            Connection publisher = connect();
            publisher.publish(OVERLAP_EXACT, "one".getBytes(UTF_8));
            publisher.publish("e2e.overlap.other", "two".getBytes(UTF_8));
            publisher.publish("e2e.overlap.other.deeper", "three".getBytes(UTF_8));
            publisher.flush(Duration.ofSeconds(5));

            consumer.handle(own.nextMessage(Duration.ofSeconds(10)));
            consumer.handle(own.nextMessage(Duration.ofSeconds(10)));
            Message deeper = own.nextMessage(Duration.ofSeconds(10));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> consumer.handle(deeper))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("e2e.overlap.other.deeper")
                    .hasMessageContaining(OVERLAP_ANY);

            assertThat(List.copyOf(calls)).containsExactly("exact:one", "any:two");
        }
        assertThat(exporter.getFinishedSpanItems()).extracting(SpanData::getName)
                .as("spans only from the traced round")
                .containsExactly("process " + OVERLAP_EXACT, "process " + OVERLAP_ANY);
    }
}
