package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.COUNT_REQUEST;
import static dev.tracewire.sample.nats.NatsInterfaces.NOBODY;
import static dev.tracewire.sample.nats.NatsInterfaces.QUOTE_REQUEST;
import static dev.tracewire.sample.nats.NatsInterfaces.SLOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.runtime.nats.NatsRequestException;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import io.nats.client.Connection;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request-reply over core NATS: a traced request, the responder's process span, and the ways a request fails. */
class NatsRequestReplyTest extends NatsTestBase {

    private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(300);

    private final BlockingQueue<SpanContext> responderSpans = new LinkedBlockingQueue<>();

    /** Starts the responders on a connection of their own; the slow one sleeps well past the request timeout. */
    private void startService() throws Exception {
        Connection serviceConnection = connect();
        closeLater(new TracedNatsInterfaces_QuoteService(new NatsInterfaces.QuoteService() {
            @Override
            public Quote quote(String symbol, String tenant) {
                responderSpans.add(Span.current().getSpanContext());
                return new Quote(symbol + "@" + tenant, 4_200);
            }

            @Override
            public Integer count(String text) {
                responderSpans.add(Span.current().getSpanContext());
                return text.length();
            }

            @Override
            public String slow(String text) throws InterruptedException {
                Thread.sleep(REQUEST_TIMEOUT.multipliedBy(4).toMillis());
                return text;
            }
        }, options).start(serviceConnection));
        serviceConnection.flush(Duration.ofSeconds(5));
    }

    private NatsInterfaces.QuoteClient client() throws Exception {
        return new TracedNatsInterfaces_QuoteClient(connect(),
                options.toBuilder().with(NatsOptions.builder().requestTimeout(REQUEST_TIMEOUT).build()).build());
    }

    @Test
    void aRequestAndItsResponderAreOneTraceAndTheReplyArrivesDecoded() throws Exception {
        startService();
        NatsInterfaces.QuoteClient client = client();

        Span caller = tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller);
        Quote quote;
        Scope scope = callerContext.makeCurrent();
        try {
            quote = client.quote("ACME", "tenant-a");
            assertThat(Context.current()).isSameAs(callerContext);
        } finally {
            scope.close();
            caller.end();
        }

        assertThat(quote).isEqualTo(new Quote("ACME@tenant-a", 4_200));
        SpanData request = awaitSpan("request " + QUOTE_REQUEST);
        SpanData process = awaitSpan("process " + QUOTE_REQUEST);
        assertThat(request.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(request.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
        assertThat(request.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(request.getAttributes().get(SYSTEM)).isEqualTo("nats");
        assertThat(request.getAttributes().get(DESTINATION)).isEqualTo(QUOTE_REQUEST);
        assertThat(request.getAttributes().get(OPERATION_TYPE)).isEqualTo("send");
        assertThat(request.getAttributes().get(OPERATION_NAME)).isEqualTo("request");
        assertThat(request.getAttributes().get(SERVER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(request.getAttributes().get(SERVER_PORT)).isEqualTo((long) nats.port());
        assertThat(request.getAttributes().get(CLIENT_ID)).isNotBlank();
        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(request.getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(process.getAttributes().get(OPERATION_TYPE)).isEqualTo("process");
        assertThat(process.getAttributes().get(GROUP)).isEqualTo("e2e-quote-service");
        assertThat(responderSpans.poll(5, TimeUnit.SECONDS)).isEqualTo(process.getSpanContext());
        // The request span ended on the reply, which the responder sent from inside its process span:
        // after that span started (the process span itself may end a moment after the reply arrived).
        assertThat(request.getEndEpochNanos()).isGreaterThanOrEqualTo(process.getStartEpochNanos());
    }

    @Test
    void anAsynchronousRequestCompletesWithTheDecodedReplyAfterItsSpanEnded() throws Exception {
        startService();
        NatsInterfaces.QuoteClient client = client();

        Span caller = tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller);
        CompletableFuture<Integer> count;
        Scope scope = callerContext.makeCurrent();
        try {
            count = client.count("hello world");
            assertThat(Context.current()).isSameAs(callerContext);
        } finally {
            scope.close();
            caller.end();
        }
        CompletableFuture<List<SpanData>> requestSpansAtCompletion =
                count.thenApply(ignored -> named(exporter.getFinishedSpanItems(), "request " + COUNT_REQUEST));

        assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(11);
        assertThat(requestSpansAtCompletion.get(10, TimeUnit.SECONDS)).as("ended before the future completed")
                .hasSize(1);
        SpanData request = awaitSpan("request " + COUNT_REQUEST);
        SpanData process = awaitSpan("process " + COUNT_REQUEST);
        assertThat(request.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(process.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(responderSpans.poll(5, TimeUnit.SECONDS)).isEqualTo(process.getSpanContext());
    }

    @Test
    void aRequestNobodyListensToFailsWithNoRespondersAtOnce() throws Exception {
        NatsInterfaces.QuoteClient client = client();

        long started = System.nanoTime();
        NatsRequestException failure = catchThrowableOfType(NatsRequestException.class, () -> client.nobody("hi"));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(failure).as("a request to a subject without subscribers").isNotNull();
        assertThat(failure.reason()).isEqualTo(NatsRequestException.Reason.NO_RESPONDERS);
        assertThat(failure.subject()).isEqualTo(NOBODY);
        assertThat(elapsedMillis).as("the server says so at once, before the timeout")
                .isLessThan(REQUEST_TIMEOUT.toMillis());
        SpanData request = awaitSpan("request " + NOBODY);
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(request.getAttributes().get(ERROR_TYPE)).isEqualTo(NatsRequestException.class.getName());
        assertThat(request.getEvents()).anyMatch(event -> event.getName().equals("exception"));
    }

    @Test
    void aRequestWhoseReplyTakesTooLongFailsWithTimeout() throws Exception {
        startService();
        NatsInterfaces.QuoteClient client = client();

        long started = System.nanoTime();
        NatsRequestException failure = catchThrowableOfType(NatsRequestException.class, () -> client.slow("zzz"));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(failure).as("a request whose responder is too slow").isNotNull();
        assertThat(failure.reason()).isEqualTo(NatsRequestException.Reason.TIMEOUT);
        assertThat(elapsedMillis).as("failed after the request timeout, not much later")
                .isBetween(REQUEST_TIMEOUT.toMillis() - 50, REQUEST_TIMEOUT.toMillis() + 2_000);
        SpanData request = awaitSpan("request " + SLOW);
        assertThat(request.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(request.getAttributes().get(ERROR_TYPE)).isEqualTo(NatsRequestException.class.getName());
    }
}
