package dev.tracewire.runtime.nats.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.ERROR_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CLIENT_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
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

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.runtime.nats.NatsRequestException;
import dev.tracewire.runtime.testing.FakeConnection;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.nats.client.support.NatsRequestCompletableFuture;
import io.nats.client.support.NatsRequestCompletableFuture.CancelAction;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NatsRequesterTest {

    private static final String SUBJECT = "prices";
    private static final String SPAN_NAME = "request prices";

    /** A JSON reply. */
    public record Quote(String sku, long cents) {
    }

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final FakeConnection connection = FakeConnection.connectedTo("nats://nats.example:4333").withClientId(7);

    // ---------------------------------------------------------------- the reply

    @Test
    void requestSendsInAProducerSpanAndReturnsTheDecodedReply() {
        connection.respond(SUBJECT, request -> reply(request, "{\"sku\":\"" + text(request) + "\",\"cents\":250}"));
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Quote quote;
        Scope scope = caller.makeCurrent();
        try {
            quote = requester.request(requester.headers(), "sku-1");
        } finally {
            scope.close();
            caller.end();
        }

        assertThat(quote).isEqualTo(new Quote("sku-1", 250));
        SpanData request = onlyRequestSpan(2);
        assertThat(request)
                .hasKind(SpanKind.PRODUCER)
                .hasParentSpanId(caller.getSpanContext().getSpanId())
                .hasEnded()
                .hasAttributesSatisfyingExactly(
                        equalTo(MESSAGING_SYSTEM, "nats"),
                        equalTo(MESSAGING_DESTINATION_NAME, SUBJECT),
                        equalTo(MESSAGING_OPERATION_TYPE, "send"),
                        equalTo(MESSAGING_OPERATION_NAME, "request"),
                        equalTo(SERVER_ADDRESS, "nats.example"),
                        equalTo(SERVER_PORT, 4333L),
                        equalTo(MESSAGING_CLIENT_ID, "7"));
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        NatsMessage sent = connection.requests().get(0).message();
        assertThat(sent.getSubject()).isEqualTo(SUBJECT);
        assertThat(sent.getHeaders().get("traceparent")).containsExactly(traceparent(request.getSpanContext()));
    }

    @Test
    void aRequestWithoutPayloadSendsAnEmptyBody() {
        connection.respond(SUBJECT, request -> reply(request, "pong " + request.getData().length));
        NatsRequester<Void, String> requester =
                new NatsPublisher(connection, telemetry.options().build()).requester(SUBJECT, Void.class, String.class);

        assertThat(requester.request(null, null)).isEqualTo("pong 0");
        assertThat(onlyRequestSpan(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void requestAsyncCompletesAfterTheSpanEndedAndRunsDependentsInTheCallersContext() throws Exception {
        connection.leaveUnanswered(SUBJECT);
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context before = Context.current();
        CompletableFuture<Quote> future;
        CompletableFuture<SpanContext> currentInDependent;
        CompletableFuture<List<String>> endedBeforeDependent;
        Scope scope = caller.makeCurrent();
        try {
            future = requester.requestAsync(null, "sku-1");
            currentInDependent = future.thenApply(quote -> Span.current().getSpanContext());
            endedBeforeDependent = future.thenApply(quote -> telemetry.spans().stream().map(SpanData::getName).toList());
        } finally {
            scope.close();
        }
        assertThat(Context.current()).isSameAs(before);
        assertThat(future).isNotDone();
        assertThat(telemetry.spans()).isEmpty();

        FakeConnection.Request request = connection.requests().get(0);
        AtomicReference<SpanContext> onReplyThread = new AtomicReference<>();
        Thread replier = new Thread(() -> {
            request.reply().complete(reply(request.message(), "{\"sku\":\"sku-1\",\"cents\":1}"));
            onReplyThread.set(Span.current().getSpanContext());
        }, "nats-reply");
        replier.start();
        replier.join(10_000);
        caller.end();

        assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo(new Quote("sku-1", 1));
        assertThat(currentInDependent.get(5, TimeUnit.SECONDS)).isEqualTo(caller.getSpanContext());
        assertThat(endedBeforeDependent.get(5, TimeUnit.SECONDS)).containsExactly(SPAN_NAME);
        assertThat(onReplyThread.get()).isEqualTo(SpanContext.getInvalid());
    }

    @Test
    void aReplyThatDoesNotDecodeFailsTheRequestAndItsSpan() {
        connection.respond(SUBJECT, request -> reply(request, "not a quote"));
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        assertThatThrownBy(() -> requester.request(null, "sku-1")).isInstanceOf(UncheckedIOException.class);

        assertFailed(onlyRequestSpan(1), UncheckedIOException.class);
    }

    // ---------------------------------------------------------------- no reply

    @ParameterizedTest
    @EnumSource(CancelAction.class)
    void noRespondersIsANatsRequestExceptionWhicheverWayJnatsSignalsIt(CancelAction signal) {
        connection.signalNoRespondersBy(signal);
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        assertThatThrownBy(() -> requester.request(null, "sku-1"))
                .isInstanceOfSatisfying(NatsRequestException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NatsRequestException.Reason.NO_RESPONDERS);
                    assertThat(e.subject()).isEqualTo(SUBJECT);
                    assertThat(e).hasMessageContaining("no responders on " + SUBJECT);
                });

        SpanData request = onlyRequestSpan(1);
        assertFailed(request, NatsRequestException.class);
        assertThat(request.getStatus().getDescription()).contains("no responders");
    }

    @Test
    @Timeout(10) // a requester that does not enforce its timeout would wait for good
    void noReplyWithinTheTimeoutIsATimeout() {
        connection.leaveUnanswered(SUBJECT);
        NatsRequester<String, Quote> requester = requester(withTimeout(Duration.ofMillis(50)));

        long started = System.nanoTime();
        assertThatThrownBy(() -> requester.request(null, "sku-1"))
                .isInstanceOfSatisfying(NatsRequestException.class, e -> {
                    assertThat(e.reason()).isEqualTo(NatsRequestException.Reason.TIMEOUT);
                    assertThat(e).hasMessageContaining("within 50 ms");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));

        assertFailed(onlyRequestSpan(1), NatsRequestException.class);
    }

    @Test
    void jnatsOwnTimeoutIsATimeoutToo() {
        connection.leaveUnanswered(SUBJECT);
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        CompletableFuture<Quote> future = requester.requestAsync(null, "sku-1");
        connection.requests().get(0).reply().cancelTimedOut();

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(NatsRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo(NatsRequestException.Reason.TIMEOUT));
        assertFailed(onlyRequestSpan(1), NatsRequestException.class);
    }

    @Test
    void aRequestCancelledBecauseTheConnectionClosedIsNotCalledATimeout() {
        connection.leaveUnanswered(SUBJECT);
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        CompletableFuture<Quote> future = requester.requestAsync(null, "sku-1");
        NatsRequestCompletableFuture reply = connection.requests().get(0).reply();
        reply.cancelClosing();

        assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertFailed(onlyRequestSpan(1), CancellationException.class);
    }

    @Test
    void aRequestThatCannotBeSentFailsTheFutureAndTheSynchronousCallerGetsTheFailure() {
        IllegalStateException closed = new IllegalStateException("Connection is Closed");
        connection.failPublishesWith(closed);
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        CompletableFuture<Quote> future = requester.requestAsync(null, "sku-1");
        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).cause().isSameAs(closed);
        assertThatThrownBy(() -> requester.request(null, "sku-2")).isSameAs(closed);

        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2);
        assertThat(spans).allSatisfy(span -> assertFailed(span, IllegalStateException.class));
        assertThat(connection.requests()).isEmpty();
    }

    @Test
    void anInterruptedRequestKeepsTheFlagAndItsSpanEndsWithTheReply() {
        connection.leaveUnanswered(SUBJECT);
        NatsRequester<String, Quote> requester = requester(telemetry.options().build());

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> requester.request(null, "sku-1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("interrupted")
                    .cause().isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }

        assertThat(telemetry.spans()).as("the request is out; its span waits for the reply").isEmpty();
        FakeConnection.Request request = connection.requests().get(0);
        request.reply().complete(reply(request.message(), "{\"sku\":\"sku-1\",\"cents\":1}"));
        assertThat(onlyRequestSpan(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    // ---------------------------------------------------------------- helpers

    private NatsRequester<String, Quote> requester(TracewireOptions options) {
        return new NatsPublisher(connection, options).requester(SUBJECT, String.class, Quote.class);
    }

    private TracewireOptions withTimeout(Duration timeout) {
        return telemetry.options().with(NatsOptions.builder().requestTimeout(timeout).build()).build();
    }

    private static Message reply(Message request, String body) {
        return new NatsMessage(request.getReplyTo(), null, new Headers(), body.getBytes(UTF_8));
    }

    private static String text(Message message) {
        return new String(message.getData(), UTF_8);
    }

    private SpanData onlyRequestSpan(int total) {
        assertThat(telemetry.spans()).hasSize(total);
        List<SpanData> requests = telemetry.spans(SPAN_NAME);
        assertThat(requests).hasSize(1);
        return requests.get(0);
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
