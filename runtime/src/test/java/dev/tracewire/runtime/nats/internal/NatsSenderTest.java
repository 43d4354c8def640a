package dev.tracewire.runtime.nats.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.ERROR_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CLIENT_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_SEQUENCE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_STREAM;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static dev.tracewire.runtime.internal.MessagingAttributes.SERVER_ADDRESS;
import static dev.tracewire.runtime.internal.MessagingAttributes.SERVER_PORT;
import static dev.tracewire.runtime.testing.TestSupport.traceparent;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThatThrownBy;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.runtime.testing.FakeConnection;
import dev.tracewire.runtime.testing.FakeJetStream;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.nats.client.JetStreamApiException;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class NatsSenderTest {

    private static final String SUBJECT = "orders";
    private static final String SPAN_NAME = "publish orders";
    private static final String STREAM = "ORDERS";
    private static final String STALE_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A JSON object payload. */
    public record Order(String id, int quantity) {
    }

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final FakeConnection connection = FakeConnection.connectedTo("nats://nats.example:4333").withClientId(42);

    // ---------------------------------------------------------------- span shape

    @Test
    void publishStartsAProducerSpanChildOfTheCallerWithItsStartAttributes() {
        NatsSender<String> sender = sender(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Scope scope = caller.makeCurrent();
        try {
            sender.publish(sender.headers(), "o-1");
        } finally {
            scope.close();
            caller.end();
        }

        SpanData publish = onlyPublishSpan(2);
        assertThat(publish)
                .hasName(SPAN_NAME)
                .hasKind(SpanKind.PRODUCER)
                .hasTraceId(caller.getSpanContext().getTraceId())
                .hasParentSpanId(caller.getSpanContext().getSpanId())
                .hasEnded()
                .hasAttributesSatisfyingExactly(
                        equalTo(MESSAGING_SYSTEM, "nats"),
                        equalTo(MESSAGING_DESTINATION_NAME, SUBJECT),
                        equalTo(MESSAGING_OPERATION_TYPE, "send"),
                        equalTo(MESSAGING_OPERATION_NAME, "publish"),
                        equalTo(SERVER_ADDRESS, "nats.example"),
                        equalTo(SERVER_PORT, 4333L),
                        equalTo(MESSAGING_CLIENT_ID, "42"));
        assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(publish.getEvents()).isEmpty();
        assertThat(publish.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tracewire");
        assertThat(connection.published()).singleElement()
                .satisfies(sent -> assertThat(new String(sent.getData(), UTF_8)).isEqualTo("o-1"));
    }

    @Test
    void withoutACurrentSpanThePublishStartsATrace() {
        NatsSender<String> sender = sender(telemetry.options().build());

        sender.publish(sender.headers(), "o-1");

        assertThat(onlyPublishSpan(1)).hasNoParent();
    }

    @Test
    void aConnectionThatKnowsNoServerAddsNoServerAttributes() {
        FakeConnection disconnected = FakeConnection.connectedTo(null);
        NatsSender<String> sender =
                new NatsPublisher(disconnected, telemetry.options().build()).sender(SUBJECT, String.class);

        sender.publish(sender.headers(), "o-1");

        SpanData publish = onlyPublishSpan(1);
        assertThat(publish.getAttributes().get(SERVER_ADDRESS)).isNull();
        assertThat(publish.getAttributes().get(SERVER_PORT)).isNull();
        assertThat(publish.getAttributes().get(MESSAGING_CLIENT_ID)).isNull();
        assertThat(disconnected.published()).hasSize(1);
    }

    @Test
    void bodySizeIsRecordedOnlyOnRequest() {
        sender(telemetry.options().build()).publish(null, "12345");
        sender(telemetry.options().captureBodySize(true).build()).publish(null, "12345");

        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2);
        assertThat(spans.get(0).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isNull();
        assertThat(spans.get(1).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isEqualTo(5L);
    }

    @Test
    void anEmptySenderPublishesAnEmptyBody() {
        NatsSender<Void> sender =
                new NatsPublisher(connection, telemetry.options().build()).emptySender("orders.ping");

        sender.publish(sender.headers(), null);

        assertThat(connection.published()).singleElement().satisfies(sent -> {
            assertThat(sent.getSubject()).isEqualTo("orders.ping");
            assertThat(sent.getData()).isEmpty();
        });
        assertThat(telemetry.spans("publish orders.ping")).hasSize(1);
    }

    // ---------------------------------------------------------------- propagation and headers

    @Test
    void injectsThePublishSpansContextAndBaggageIntoTheHeaders() {
        NatsSender<String> sender = sender(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Scope scope = Context.current().with(caller).with(Baggage.builder().put("user", "alice").build())
                .makeCurrent();
        try {
            sender.publish(null, "o-1");
        } finally {
            scope.close();
            caller.end();
        }

        SpanData publish = onlyPublishSpan(2);
        Headers sent = connection.published().get(0).getHeaders();
        assertThat(sent.get("traceparent")).containsExactly(traceparent(publish.getSpanContext()));
        assertThat(sent.get("baggage")).containsExactly("user=alice");
    }

    @Test
    void anExistingTraceparentIsReplacedNotDuplicated() {
        NatsSender<String> sender = sender(telemetry.options().build());
        Headers headers = sender.headers();
        headers.add("traceparent", STALE_TRACEPARENT, STALE_TRACEPARENT);

        sender.publish(headers, "o-1");

        SpanData publish = onlyPublishSpan(1);
        assertThat(publish).hasNoParent();
        assertThat(connection.published().get(0).getHeaders().get("traceparent"))
                .containsExactly(traceparent(publish.getSpanContext()));
    }

    @Test
    void userHeadersAreSetReplacedAndRemovedAlongsideTheTraceContext() {
        NatsSender<String> sender = sender(telemetry.options().build());

        Headers set = sender.headers();
        NatsHeaders.put(set, "tenant", "acme");
        sender.publish(set, "o-1");

        Headers replaced = sender.headers();
        NatsHeaders.put(replaced, "tenant", "acme");
        NatsHeaders.put(replaced, "tenant", "globex");
        sender.publish(replaced, "o-2");

        Headers removed = sender.headers();
        NatsHeaders.put(removed, "tenant", "acme");
        NatsHeaders.put(removed, "tenant", null);
        sender.publish(removed, "o-3");

        List<NatsMessage> sent = connection.published();
        assertThat(sent).hasSize(3);
        assertThat(sent.get(0).getHeaders().get("tenant")).containsExactly("acme");
        assertThat(sent.get(1).getHeaders().get("tenant")).containsExactly("globex");
        assertThat(sent.get(2).getHeaders().get("tenant")).isNull();
        assertThat(sent).allSatisfy(message -> assertThat(message.getHeaders().get("traceparent")).hasSize(1));
        assertThat(telemetry.spans(SPAN_NAME)).hasSize(3);
    }

    @Test
    void untracedMessagesWithoutUserHeadersGoOutWithoutHeaders() {
        NatsSender<String> sender = sender(TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build());
        Headers tenant = sender.headers();
        NatsHeaders.put(tenant, "tenant", "acme");

        sender.publish(sender.headers(), "o-1");
        sender.publish(null, "o-2");
        sender.publish(tenant, "o-3");

        List<NatsMessage> sent = connection.published();
        assertThat(sent.get(0).hasHeaders()).isFalse();
        assertThat(sent.get(1).hasHeaders()).isFalse();
        assertThat(sent.get(2).getHeaders().keySet()).containsExactly("tenant");
        assertThat(telemetry.startedCount()).isZero();
    }

    // ---------------------------------------------------------------- payload-embedded context

    @Test
    void embeddingPutsTheContextIntoJsonObjectPayloadsToo() throws Exception {
        NatsSender<Order> sender = new NatsPublisher(connection, telemetry.options().embedContextInPayload(true).build())
                .sender(SUBJECT, Order.class);

        sender.publish(null, new Order("o-1", 2));

        SpanData publish = onlyPublishSpan(1);
        NatsMessage sent = connection.published().get(0);
        JsonNode body = JSON.readTree(sent.getData());
        assertThat(body.get("id").asText()).isEqualTo("o-1");
        assertThat(body.get("quantity").asInt()).isEqualTo(2);
        assertThat(body.get("_otel_trace_headers").get("traceparent").asText())
                .isEqualTo(traceparent(publish.getSpanContext()));
        assertThat(sent.getHeaders().get("traceparent")).containsExactly(traceparent(publish.getSpanContext()));
    }

    @Test
    void embeddingUsesTheConfiguredFieldAndLeavesOtherPayloadsAlone() throws Exception {
        TracewireOptions options = telemetry.options().embedContextInPayload(true).payloadContextField("ctx").build();
        NatsPublisher publisher = new NatsPublisher(connection, options);

        publisher.sender(SUBJECT, Order.class).publish(null, new Order("o-1", 2));
        publisher.sender(SUBJECT, String.class).publish(null, "not json");
        publisher.sender(SUBJECT, String.class).publish(null, "[1,2]");
        publisher.sender(SUBJECT, byte[].class).publish(null, "\"a string\"".getBytes(UTF_8));

        List<NatsMessage> sent = connection.published();
        assertThat(JSON.readTree(sent.get(0).getData()).get("ctx").get("traceparent").asText()).startsWith("00-");
        assertThat(JSON.readTree(sent.get(0).getData()).has("_otel_trace_headers")).isFalse();
        assertThat(new String(sent.get(1).getData(), UTF_8)).isEqualTo("not json");
        assertThat(new String(sent.get(2).getData(), UTF_8)).isEqualTo("[1,2]");
        assertThat(new String(sent.get(3).getData(), UTF_8)).isEqualTo("\"a string\"");
        assertThat(telemetry.spans(SPAN_NAME)).hasSize(4);
    }

    @Test
    void withoutEmbeddingOrWithoutTracingThePayloadIsUntouched() {
        Order order = new Order("o-1", 2);
        new NatsPublisher(connection, telemetry.options().build()).sender(SUBJECT, Order.class).publish(null, order);
        new NatsPublisher(connection, TracewireOptions.builder().openTelemetry(OpenTelemetry.noop())
                .embedContextInPayload(true).build()).sender(SUBJECT, Order.class).publish(null, order);

        assertThat(connection.published()).extracting(sent -> new String(sent.getData(), UTF_8))
                .containsExactly("{\"id\":\"o-1\",\"quantity\":2}", "{\"id\":\"o-1\",\"quantity\":2}");
    }

    // ---------------------------------------------------------------- core publish failure

    @Test
    void aFailedPublishIsRecordedAndThrownAndTheCallersContextStays() {
        IllegalStateException closed = new IllegalStateException("Connection is Closed");
        connection.failPublishesWith(closed);
        NatsSender<String> sender = sender(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller);
        Scope scope = callerContext.makeCurrent();
        try {
            assertThatThrownBy(() -> sender.publish(null, "o-1")).isSameAs(closed);
            assertThat(Context.current()).isSameAs(callerContext);
        } finally {
            scope.close();
            caller.end();
        }

        SpanData publish = onlyPublishSpan(2);
        assertFailed(publish, closed);
        assertThat(publish).hasParentSpanId(caller.getSpanContext().getSpanId());
        assertThat(connection.published()).isEmpty();
    }

    @Test
    void aHeaderValueJnatsRefusesFailsThePublishInItsSpanNotBeforeIt() {
        NatsSender<String> sender = sender(telemetry.options().build());
        Headers headers = sender.headers();

        NatsHeaders.put(headers, "tenant", "Zürich"); // generated code sets @Header values before the send
        assertThat(telemetry.startedCount()).as("no span yet, nothing thrown yet").isZero();

        assertThatThrownBy(() -> sender.publish(headers, "o-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("header tenant cannot be sent on NATS")
                .cause().isInstanceOf(IllegalArgumentException.class);
        assertFailed(onlyPublishSpan(1), IllegalArgumentException.class);
        assertThat(connection.published()).isEmpty();

        Headers plain = new Headers(); // headers that are not a sender's: jnats's refusal, at once
        assertThatThrownBy(() -> NatsHeaders.put(plain, "tenant", "Zürich")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusedHeaderFailsAnAsyncPublishsFutureAsItsReturnTypePromises() {
        NatsSender<String> sender = sender(telemetry.options().build());
        Headers headers = sender.headers();
        NatsHeaders.put(headers, "tenant", "Zürich");

        CompletableFuture<PublishAck> future = sender.publishToStreamAsync(headers, "o-1");

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalArgumentException.class);
        assertFailed(onlyPublishSpan(1), IllegalArgumentException.class);
        assertThat(connection.jetStream().published()).isEmpty();
    }

    @Test
    void aPayloadItsCodecCannotEncodeFailsThePublishInItsSpan() {
        IllegalStateException refused = new IllegalStateException("cannot encode o-1");
        Codec<Order> failing = new Codec<>() {
            @Override
            public byte[] encode(Order value) {
                throw refused;
            }

            @Override
            public Order decode(byte[] data) {
                throw new UnsupportedOperationException();
            }
        };
        NatsSender<Order> sender = new NatsPublisher(connection, telemetry.options()
                .with(NatsOptions.builder().codec(Order.class, failing).build()).build())
                .sender(SUBJECT, Order.class);

        assertThatThrownBy(() -> sender.publish(null, new Order("o-1", 1))).isSameAs(refused);
        assertThatThrownBy(() -> sender.publishToStream(null, new Order("o-1", 1))).isSameAs(refused);

        assertThat(telemetry.spans(SPAN_NAME)).hasSize(2)
                .allSatisfy(span -> assertFailed(span, refused));
        assertThat(connection.published()).isEmpty();
        assertThat(connection.jetStream().published()).isEmpty();
    }

    // ---------------------------------------------------------------- JetStream, waiting for the ack

    @Test
    void publishToStreamReturnsTheAckAndRecordsStreamAndSequence() {
        connection.jetStream().acknowledgeIn(STREAM);
        NatsSender<String> sender = sender(telemetry.options().build());

        Context before = Context.current();
        PublishAck first = sender.publishToStream(sender.headers(), "o-1");
        PublishAck second = sender.publishToStream(null, "o-2");
        assertThat(Context.current()).isSameAs(before);

        assertThat(first.getStream()).isEqualTo(STREAM);
        assertThat(first.getSeqno()).isEqualTo(1L);
        assertThat(second.getSeqno()).isEqualTo(2L);
        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2);
        assertThat(spans.get(0)).hasKind(SpanKind.PRODUCER).hasAttributesSatisfyingExactly(
                equalTo(MESSAGING_SYSTEM, "nats"),
                equalTo(MESSAGING_DESTINATION_NAME, SUBJECT),
                equalTo(MESSAGING_OPERATION_TYPE, "send"),
                equalTo(MESSAGING_OPERATION_NAME, "publish"),
                equalTo(SERVER_ADDRESS, "nats.example"),
                equalTo(SERVER_PORT, 4333L),
                equalTo(MESSAGING_CLIENT_ID, "42"),
                equalTo(MESSAGING_NATS_STREAM, STREAM),
                equalTo(MESSAGING_NATS_SEQUENCE, 1L));
        assertThat(spans.get(1).getAttributes().get(MESSAGING_NATS_SEQUENCE)).isEqualTo(2L);
        List<NatsMessage> sent = connection.jetStream().published();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).getHeaders().get("traceparent"))
                .containsExactly(traceparent(spans.get(0).getSpanContext()));
        assertThat(connection.published()).as("nothing on core NATS").isEmpty();
    }

    @Test
    void aRefusedPublishToStreamIsRecordedAsTheApiErrorAndThrownUnchecked() {
        connection.jetStream().refuseWith(400, 10060, "expected stream does not match");
        NatsSender<String> sender = sender(telemetry.options().build());

        assertThatThrownBy(() -> sender.publishToStream(null, "o-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(SUBJECT)
                .hasMessageContaining("expected stream does not match")
                .cause().isInstanceOf(JetStreamApiException.class);

        SpanData publish = onlyPublishSpan(1);
        assertFailed(publish, JetStreamApiException.class);
        assertThat(publish.getAttributes().get(MESSAGING_NATS_SEQUENCE)).isNull();
        assertThat(connection.jetStream().published()).hasSize(1);
    }

    @Test
    void aPublishToStreamWithoutAStreamIsRecordedAsTheIoErrorAndThrownUnchecked() {
        connection.jetStream().withoutStream();
        NatsSender<String> sender = sender(telemetry.options().build());

        assertThatThrownBy(() -> sender.publishToStream(null, "o-1"))
                .isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class).hasMessageContaining("503");

        assertFailed(onlyPublishSpan(1), IOException.class);
    }

    // ---------------------------------------------------------------- JetStream, asynchronously

    @Test
    void publishToStreamAsyncCompletesWithTheAckAfterTheSpanEnded() throws Exception {
        FakeJetStream jetStream = connection.jetStream().acknowledgeIn(STREAM).holdAsyncAcks();
        NatsSender<String> sender = sender(telemetry.options().build());

        CompletableFuture<PublishAck> future = sender.publishToStreamAsync(null, "o-1");
        assertThat(future).isNotDone();
        assertThat(telemetry.spans()).as("the span waits for the ack").isEmpty();
        assertThat(jetStream.published()).hasSize(1);

        jetStream.releaseNext();

        assertThat(future.get(5, TimeUnit.SECONDS).getSeqno()).isEqualTo(1L);
        SpanData publish = onlyPublishSpan(1);
        assertThat(publish.getAttributes().get(MESSAGING_NATS_STREAM)).isEqualTo(STREAM);
        assertThat(publish.getAttributes().get(MESSAGING_NATS_SEQUENCE)).isEqualTo(1L);
        assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void theAsyncFutureRunsDependentsAfterTheSpanEndedInTheCallersContext() throws Exception {
        FakeJetStream jetStream = connection.jetStream().acknowledgeIn(STREAM).holdAsyncAcks();
        NatsSender<String> sender = sender(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context before = Context.current();
        CompletableFuture<Observation> observed;
        Scope scope = caller.makeCurrent();
        try {
            observed = sender.publishToStreamAsync(null, "o-1").thenApply(ack -> Observation.now(telemetry));
        } finally {
            scope.close();
        }
        assertThat(Context.current()).isSameAs(before);

        Observation onAckThread = completeOnOtherThread(jetStream::releaseNext);
        caller.end();

        Observation inDependent = observed.get(5, TimeUnit.SECONDS);
        assertThat(inDependent.current).isEqualTo(caller.getSpanContext());
        assertThat(inDependent.endedSpans).containsExactly(SPAN_NAME);
        assertThat(onAckThread.current)
                .as("the acknowledging thread's context is what it was before the ack")
                .isEqualTo(onAckThread.unrelated);
    }

    @Test
    void aRefusedAsyncPublishFailsTheFutureAfterTheSpanRecordedTheApiError() throws Exception {
        FakeJetStream jetStream = connection.jetStream().refuseWith(503, 10077, "maximum messages exceeded")
                .holdAsyncAcks();
        NatsSender<String> sender = sender(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        CompletableFuture<Observation> observed;
        CompletableFuture<PublishAck> future;
        Scope scope = caller.makeCurrent();
        try {
            future = sender.publishToStreamAsync(null, "o-1");
            observed = future.handle((ack, failure) -> failure == null ? null : Observation.now(telemetry));
        } finally {
            scope.close();
        }
        Observation onAckThread = completeOnOtherThread(jetStream::releaseNext);
        caller.end();

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maximum messages exceeded")
                .cause().isInstanceOf(JetStreamApiException.class);
        Observation inDependent = observed.get(5, TimeUnit.SECONDS);
        assertThat(inDependent.current).isEqualTo(caller.getSpanContext());
        assertThat(inDependent.endedSpans).containsExactly(SPAN_NAME);
        assertThat(onAckThread.current).isEqualTo(onAckThread.unrelated);
        assertFailed(telemetry.spans(SPAN_NAME).get(0), JetStreamApiException.class);
    }

    @Test
    void anAsyncPublishWithoutAStreamFailsWithTheIoError() {
        connection.jetStream().withoutStream();
        NatsSender<String> sender = sender(telemetry.options().build());

        CompletableFuture<PublishAck> future = sender.publishToStreamAsync(null, "o-1");

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class);
        assertFailed(onlyPublishSpan(1), IOException.class);
    }

    @Test
    void aJetStreamPublishOnAClosedConnectionFailsAsTheReturnTypePromises() {
        IllegalStateException closed = new IllegalStateException("Connection is Closed");
        connection.failPublishesWith(closed);
        NatsSender<String> sender = sender(telemetry.options().build());

        assertThatThrownBy(() -> sender.publishToStream(null, "o-1")).isSameAs(closed);
        CompletableFuture<PublishAck> future = sender.publishToStreamAsync(null, "o-2");

        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).cause().isSameAs(closed);
        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2).allSatisfy(span -> assertFailed(span, closed));
        assertThat(connection.jetStream().published()).isEmpty();
    }

    // ---------------------------------------------------------------- helpers

    /** What a dependent stage sees: the current span and the spans ended by then. */
    private static final class Observation {
        final SpanContext current;
        final List<String> endedSpans;
        SpanContext unrelated;

        private Observation(SpanContext current, List<String> endedSpans) {
            this.current = current;
            this.endedSpans = endedSpans;
        }

        static Observation now(TestTelemetry telemetry) {
            List<String> names = new ArrayList<>();
            telemetry.spans().forEach(span -> names.add(span.getName()));
            return new Observation(Span.current().getSpanContext(), names);
        }
    }

    /** Runs {@code completion} on a new thread inside an unrelated span, and reports that thread's context after it. */
    private Observation completeOnOtherThread(Runnable completion) throws InterruptedException {
        AtomicReference<Observation> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            Span unrelated = telemetry.tracer().spanBuilder("unrelated").startSpan();
            Scope scope = unrelated.makeCurrent();
            try {
                completion.run();
                Observation after = Observation.now(telemetry);
                after.unrelated = unrelated.getSpanContext();
                result.set(after);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                scope.close();
                unrelated.end();
            }
        }, "nats-ack");
        thread.start();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        return result.get();
    }

    private NatsSender<String> sender(TracewireOptions options) {
        return new NatsPublisher(connection, options).sender(SUBJECT, String.class);
    }

    /** The only span named {@code publish orders}, after checking that {@code total} spans ended in all. */
    private SpanData onlyPublishSpan(int total) {
        assertThat(telemetry.spans()).hasSize(total);
        List<SpanData> publishes = telemetry.spans(SPAN_NAME);
        assertThat(publishes).hasSize(1);
        return publishes.get(0);
    }

    private static void assertFailed(SpanData span, Throwable failure) {
        assertThat(span).hasName(SPAN_NAME).hasKind(SpanKind.PRODUCER).hasEnded().hasException(failure);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo(failure.getMessage());
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(failure.getClass().getName());
    }

    private static void assertFailed(SpanData span, Class<? extends Throwable> failureType) {
        assertThat(span).hasName(SPAN_NAME).hasKind(SpanKind.PRODUCER).hasEnded();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(failureType.getName());
        assertThat(span.getEvents()).singleElement().satisfies(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().asMap().values()).contains(failureType.getName());
        });
    }
}
