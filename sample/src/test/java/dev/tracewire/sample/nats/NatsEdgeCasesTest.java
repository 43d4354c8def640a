package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsEdgeInterfaces.CLOSING;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.OWN_OTHER;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.OWN_PREFIX;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.OWN_TEXT;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.SIZED;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.UNSTORED;
import static dev.tracewire.sample.nats.NatsEdgeInterfaces.UNSTORED_ASYNC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tracewire.runtime.Subscription;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Edges of the NATS runtime: a JetStream publish that no stream takes, the user's own subscription
 * handled through {@code handle(Message)}, body sizes, and closing a subscription more than once
 * or after its connection.
 */
class NatsEdgeCasesTest extends NatsTestBase {

    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("messaging.message.body.size");

    @Test
    void aJetStreamPublishToASubjectNoStreamBindsFailsItsSpanAndTheCaller() throws Exception {
        NatsEdgeInterfaces.EdgePublisher publisher = new TracedNatsEdgeInterfaces_EdgePublisher(connect(), options);

        Span caller = tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller);
        Throwable sync;
        CompletableFuture<PublishAck> async;
        Scope scope = callerContext.makeCurrent();
        try {
            sync = catchThrowable(() -> publisher.unstored("lost"));
            async = publisher.unstoredAsync("lost too");
        } finally {
            scope.close();
            caller.end();
        }
        Throwable asyncFailure = catchThrowable(() -> async.get(30, TimeUnit.SECONDS));

        // nats-server answers a publish nobody stores with 503 "no responders" at once; jnats makes
        // it an IOException, thrown as is, and its asynchronous publish wraps it twice.
        assertThat(sync).as("the synchronous caller's exception")
                .isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class).hasMessageContaining("503");
        assertThat(asyncFailure).isInstanceOf(ExecutionException.class)
                .cause().as("what the asynchronous caller gets").isInstanceOf(UncheckedIOException.class)
                .cause().isInstanceOf(IOException.class).hasMessageContaining("503");
        SpanData syncSpan = awaitSpan("publish " + UNSTORED);
        SpanData asyncSpan = awaitSpan("publish " + UNSTORED_ASYNC);
        for (SpanData span : List.of(syncSpan, asyncSpan)) {
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
            assertThat(span.getStatus().getDescription()).contains("503 No Responders");
            assertThat(span.getAttributes().get(ERROR_TYPE)).as("the failure itself, unwrapped")
                    .isEqualTo(IOException.class.getName());
            assertThat(span.getEvents()).anyMatch(event -> event.getName().equals("exception"));
            assertThat(span.getAttributes().get(STREAM)).isNull();
            assertThat(span.getAttributes().get(SEQUENCE)).isNull();
        }
    }

    @Test
    void handleRunsTheUsersOwnSubscriptionsMessagesInProcessSpans() throws Exception {
        Connection ownConnection = connect();
        io.nats.client.Subscription own = ownConnection.subscribe(OWN_PREFIX + ">");
        ownConnection.flush(Duration.ofSeconds(5));
        BlockingQueue<SpanContext> handledIn = new LinkedBlockingQueue<>();
        AtomicReference<RuntimeException> thrown = new AtomicReference<>();
        TracedNatsEdgeInterfaces_OwnText consumer = new TracedNatsEdgeInterfaces_OwnText(text -> {
            if (text.equals("boom")) {
                RuntimeException failure = new IllegalStateException("boom in the handler");
                thrown.set(failure);
                throw failure;
            }
            handledIn.add(Span.current().getSpanContext());
        }, options);
        NatsEdgeInterfaces.EdgePublisher publisher = new TracedNatsEdgeInterfaces_EdgePublisher(connect(), options);

        publisher.own("hello");
        publisher.own("boom");
        publisher.other("nobody handles me");
        Message hello = own.nextMessage(Duration.ofSeconds(10));
        Message boom = own.nextMessage(Duration.ofSeconds(10));
        Message other = own.nextMessage(Duration.ofSeconds(10));
        assertThat(hello).isNotNull();
        assertThat(boom).isNotNull();
        assertThat(other).isNotNull();

        // The poller's context is current while it handles; handle must leave it so.
        Span poller = tracer().spanBuilder("poller").startSpan();
        Context pollerContext = Context.current().with(poller);
        Scope scope = pollerContext.makeCurrent();
        try {
            consumer.handle(hello);
            assertThat(Context.current()).as("after handle").isSameAs(pollerContext);
            Throwable failure = catchThrowable(() -> consumer.handle(boom));
            assertThat(failure).as("the handler's exception, rethrown").isSameAs(thrown.get()).isNotNull();
            assertThat(Context.current()).as("after a failed handle").isSameAs(pollerContext);
            assertThatThrownBy(() -> consumer.handle(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(OWN_OTHER);
            assertThat(Context.current()).isSameAs(pollerContext);
        } finally {
            scope.close();
            poller.end();
        }

        var publishes = awaitSpans("publish " + OWN_TEXT, 2);
        var processes = awaitSpans("process " + OWN_TEXT, 2);
        assertThat(processes).hasSize(2);
        for (SpanData process : processes) {
            assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(process.getParentSpanId()).as("a child of a publish span, not of the poller")
                    .isIn(publishes.stream().map(SpanData::getSpanId).toList());
            assertThat(process.getTraceId()).isNotEqualTo(poller.getSpanContext().getTraceId());
            assertThat(process.getAttributes().get(DESTINATION)).isEqualTo(OWN_TEXT);
        }
        SpanData handled = processes.stream()
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.UNSET).findFirst().orElseThrow();
        SpanData failed = processes.stream()
                .filter(span -> span.getStatus().getStatusCode() == StatusCode.ERROR).findFirst().orElseThrow();
        assertThat(handledIn.poll()).as("Span.current() in the handler").isEqualTo(handled.getSpanContext());
        assertThat(failed.getAttributes().get(ERROR_TYPE)).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.getStatus().getDescription()).isEqualTo("boom in the handler");
        assertThat(failed.getEvents()).anyMatch(event -> event.getName().equals("exception"));
        assertThat(named(exporter.getFinishedSpanItems(), "process " + OWN_OTHER)).as("no span for no method")
                .isEmpty();
    }

    @Test
    void bodySizesAreRecordedOnPublishAndProcessSpansWhenAsked() throws Exception {
        String text = "h\u00e9llo \u20ac";
        int encodedLength = text.getBytes(StandardCharsets.UTF_8).length;
        assertThat(encodedLength).as("bytes, not chars").isNotEqualTo(text.length());
        Connection subscriberConnection = connect();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsEdgeInterfaces_Sized(received::add,
                options.toBuilder().captureBodySize(true).build()).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        new TracedNatsEdgeInterfaces_EdgePublisher(connect(), options.toBuilder().captureBodySize(true).build())
                .sized(text);

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo(text);
        assertThat(awaitSpan("publish " + SIZED).getAttributes().get(BODY_SIZE)).isEqualTo((long) encodedLength);
        assertThat(awaitSpan("process " + SIZED).getAttributes().get(BODY_SIZE)).isEqualTo((long) encodedLength);
    }

    @Test
    void bodySizesAreNotRecordedByDefault() throws Exception {
        Connection subscriberConnection = connect();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsEdgeInterfaces_Sized(received::add, options).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        new TracedNatsEdgeInterfaces_EdgePublisher(connect(), options).sized("plain");

        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("plain");
        assertThat(awaitSpan("publish " + SIZED).getAttributes().get(BODY_SIZE)).isNull();
        assertThat(awaitSpan("process " + SIZED).getAttributes().get(BODY_SIZE)).isNull();
    }

    @Test
    void closingASubscriptionTwiceIsHarmless() throws Exception {
        Connection subscriberConnection = connect();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        Subscription subscription =
                new TracedNatsEdgeInterfaces_Closing(received::add, options).start(subscriberConnection);
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection publisherConnection = connect();
        NatsEdgeInterfaces.EdgePublisher publisher =
                new TracedNatsEdgeInterfaces_EdgePublisher(publisherConnection, options);
        publisher.closing("before");
        assertThat(received.poll(30, TimeUnit.SECONDS)).isEqualTo("before");

        subscription.close();
        subscription.close();

        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).isEmpty();
        assertThat(subscription.awaitTermination(Duration.ZERO)).isTrue();
        assertThat(subscriberConnection.getStatus()).as("the connection stays the caller's")
                .isEqualTo(Connection.Status.CONNECTED);
        publisher.closing("after");
        publisherConnection.flush(Duration.ofSeconds(5));
        assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("nothing handled after close").isNull();
    }

    @Test
    void closingASubscriptionAfterItsConnectionClosedDoesNotThrow() throws Exception {
        Connection subscriberConnection = Nats.connect(nats.url());
        Subscription subscription;
        try {
            subscription = new TracedNatsEdgeInterfaces_Closing(text -> { }, options).start(subscriberConnection);
            subscriberConnection.flush(Duration.ofSeconds(5));
        } finally {
            subscriberConnection.close();
        }

        Logger logger = Logger.getLogger("dev.tracewire.runtime.nats.internal.NatsSubscription");
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        long start = System.nanoTime();
        try {
            subscription.close();
            subscription.close();
        } finally {
            logger.removeHandler(capture);
        }
        assertThat(System.nanoTime() - start).as("no drain timeout waited out")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).isEmpty();
        assertThat(warnings).as("nothing to warn about: a closed connection has nothing to drain").isEmpty();
    }
}
