package dev.tracewire.runtime.nats.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CLIENT_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_SEQUENCE;
import static dev.tracewire.runtime.internal.MessagingAttributes.SERVER_ADDRESS;
import static dev.tracewire.runtime.internal.MessagingAttributes.SERVER_PORT;
import static dev.tracewire.runtime.nats.internal.NatsDispatcherTest.headers;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.tuple;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.testing.FakeConnection;
import dev.tracewire.runtime.testing.FakeDispatcher;
import dev.tracewire.runtime.testing.FakeMessage;
import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A generated NATS consumer's subscriptions on a connection without a network: what is subscribed
 * how, that consumer spans name the server, and what becomes of a message whose handler failed
 * (JetStream: nak with the backoff, terminate, or stop and leave it to the next consumer; core
 * NATS, which cannot deliver it again: never retried, skipped or stopped on).
 */
class NatsSubscriptionTest {

    private static final String INTERFACE = "com.example.OrderHandler";
    private static final String GROUP = "billing";
    private static final String STREAM = "ORDERS";
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final FakeConnection connection = FakeConnection.connectedTo("nats://nats.example:4333").withClientId(42);
    private final List<String> handled = new ArrayList<>();

    // ---------------------------------------------------------------- subscribing

    @Test
    void coreSubjectsAreSubscribedInTheQueueGroupAndTheirSpansNameTheServer() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route("orders", String.class, (payload, message) -> handled.add(payload))
                .route("refunds.*", String.class, (payload, message) -> handled.add(payload))
                .build();

        try (Subscription subscription = dispatcher.start(connection)) {
            FakeDispatcher natsDispatcher = connection.dispatchers().get(0);
            assertThat(natsDispatcher.subscriptions())
                    .extracting(FakeDispatcher.Subscribed::subject, FakeDispatcher.Subscribed::queue,
                            FakeDispatcher.Subscribed::jetStream)
                    .containsExactly(tuple("orders", GROUP, null), tuple("refunds.*", GROUP, null));

            assertThat(connection.deliver(core("orders", "o-1"))).isEqualTo(1);
            assertThat(connection.deliver(core("refunds.eu", "r-1"))).isEqualTo(1);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(handled).containsExactly("o-1", "r-1");
        assertThat(telemetry.spans()).hasSize(2).allSatisfy(process -> {
            assertThat(process).hasTraceId("0af7651916cd43dd8448eb211c80319c");
            assertThat(process.getAttributes().get(SERVER_ADDRESS)).isEqualTo("nats.example");
            assertThat(process.getAttributes().get(SERVER_PORT)).isEqualTo(4333L);
            assertThat(process.getAttributes().get(MESSAGING_CLIENT_ID)).isEqualTo("42");
        });
    }

    @Test
    void withoutAQueueGroupCoreSubjectsAreSubscribedPlainly() {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, "", telemetry.options().build())
                .route("orders", String.class, (payload, message) -> handled.add(payload))
                .build();

        try (Subscription subscription = dispatcher.start(connection)) {
            assertThat(connection.dispatchers().get(0).subscriptions()).singleElement()
                    .satisfies(subscribed -> assertThat(subscribed.queue()).isNull());
            assertThat(subscription.isRunning()).isTrue();
        }
    }

    @Test
    void jetStreamSubjectsAreDurablePushConsumersWithExplicitAcksAndNoRedeliveryBound() {
        NatsDispatcher skipping = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options()
                        .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(100), Duration.ofSeconds(1)).thenSkip())
                        .build())
                .routeStream("orders.eu", STREAM, String.class, (payload, message) -> handled.add(payload))
                .build();
        NatsDispatcher stopping = NatsDispatcher.builder(INTERFACE, "", telemetry.options()
                        .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(100), Duration.ofSeconds(1)).thenStop())
                        .build())
                .routeStream("orders.>", STREAM, String.class, (payload, message) -> handled.add(payload))
                .build();

        try (Subscription first = skipping.start(connection); Subscription second = stopping.start(connection)) {
            FakeDispatcher.Subscribed bounded = connection.dispatchers().get(0).subscriptions().get(0);
            assertThat(bounded.subject()).isEqualTo("orders.eu");
            assertThat(bounded.queue()).isEqualTo(GROUP);
            assertThat(bounded.jetStream().getStream()).isEqualTo(STREAM);
            assertThat(bounded.jetStream().getDurable()).isEqualTo("billing_orders_eu");
            ConsumerConfiguration configuration = bounded.jetStream().getConsumerConfiguration();
            assertThat(configuration.getAckPolicy()).isEqualTo(AckPolicy.Explicit);
            assertThat(configuration.getMaxDeliver())
                    .as("a policy that skips terminates the message itself; a bound would also end one whose"
                            + " consumer died before acknowledging it").isEqualTo(-1L);

            FakeDispatcher.Subscribed unbounded = connection.dispatchers().get(1).subscriptions().get(0);
            assertThat(unbounded.queue()).isNull();
            assertThat(unbounded.jetStream().getDurable()).isEqualTo("OrderHandler_orders__");
            assertThat(unbounded.jetStream().getConsumerConfiguration().getMaxDeliver())
                    .as("a policy that stops must leave the message deliverable").isEqualTo(-1L);
            assertThat(first.isRunning() && second.isRunning()).isTrue();
        }
    }

    // ---------------------------------------------------------------- JetStream outcomes

    @Test
    void aHandledJetStreamMessageIsAcknowledgedAfterItsHandler() throws Exception {
        List<List<String>> acknowledgementsDuringHandler = new ArrayList<>();
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .routeStream("orders", STREAM, String.class, (payload, message) ->
                        acknowledgementsDuringHandler.add(((FakeMessage) message).acknowledgements()))
                .build();
        FakeMessage message = fromStream("orders", 5, 1);

        try (Subscription subscription = dispatcher.start(connection)) {
            connection.deliver(message);
            assertThat(subscription.isRunning()).isTrue();
        }

        assertThat(acknowledgementsDuringHandler).containsExactly(List.of());
        assertThat(message.acknowledgements()).containsExactly("ack");
        assertThat(telemetry.spans()).singleElement().satisfies(process -> {
            assertThat(process.getAttributes().get(MESSAGING_NATS_SEQUENCE)).isEqualTo(5L);
            assertThat(process.getAttributes().get(SERVER_ADDRESS)).isEqualTo("nats.example");
        });
    }

    @Test
    void aFailedJetStreamMessageIsNakedWithTheBackoffUntilItsAttemptsAreUsedUpThenTerminated() throws Exception {
        ErrorPolicy policy = ErrorPolicy.retry(3, Duration.ofMillis(100), Duration.ofSeconds(1)).thenSkip();
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP,
                        telemetry.options().errorPolicy(policy).build())
                .routeStream("orders", STREAM, String.class, (payload, message) -> {
                    throw new IllegalStateException("cannot handle " + payload);
                })
                .build();
        FakeMessage first = fromStream("orders", 5, 1);
        FakeMessage second = fromStream("orders", 5, 2);
        FakeMessage last = fromStream("orders", 5, 3);

        try (Subscription subscription = dispatcher.start(connection);
                LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.FailureStep", Level.ALL)) {
            connection.deliver(first);
            connection.deliver(second);
            connection.deliver(last);
            assertThat(subscription.isRunning()).isTrue();
            assertThat(log.records()).as("one line per failed delivery").hasSize(3);
        }

        assertThat(first.acknowledgements()).containsExactly("nak 100 ms");
        assertThat(second.acknowledgements()).containsExactly("nak 200 ms");
        assertThat(last.acknowledgements()).containsExactly("term");
        assertThat(telemetry.spans()).hasSize(3)
                .allSatisfy(process -> assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }

    @Test
    void aPolicyThatStopsLeavesTheJetStreamMessageToTheNextConsumer() throws Exception {
        IllegalStateException failure = new IllegalStateException("cannot handle it");
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP,
                        telemetry.options().errorPolicy(ErrorPolicy.stop()).build())
                .routeStream("orders", STREAM, String.class, (payload, message) -> {
                    handled.add(payload);
                    throw failure;
                })
                .build();
        FakeMessage message = fromStream("orders", 5, 1);

        Subscription subscription = dispatcher.start(connection);
        try (LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.FailureStep", Level.ALL)) {
            connection.deliver(message);
            assertThat(subscription.awaitTermination(WAIT)).isTrue();
            assertStoppingLogged(log);
        } finally {
            subscription.close();
        }

        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).containsSame(failure);
        assertThat(message.acknowledgements()).as("not acknowledged on the message").isEmpty();
        List<NatsMessage> naks = connection.published(message.getReplyTo());
        assertThat(naks).as("nak'd on the connection once the consumer closed").singleElement()
                .satisfies(nak -> assertThat(new String(nak.getData(), UTF_8)).startsWith("-NAK"));
        assertThat(connection.deliver(fromStream("orders", 6, 1))).as("nothing more is delivered").isZero();
        assertThat(handled).hasSize(1);
    }

    // ---------------------------------------------------------------- core NATS outcomes

    @Test
    void aFailedCoreMessageIsNotRetriedSinceItCannotBeDeliveredAgainAndASkippingPolicyGoesOn() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options()
                        .errorPolicy(ErrorPolicy.retry(5, Duration.ofMillis(100), Duration.ofSeconds(1)).thenSkip())
                        .build())
                .route("orders", String.class, (payload, message) -> {
                    if (payload.equals("poison")) {
                        throw new IllegalStateException("cannot handle it");
                    }
                    handled.add(payload);
                })
                .build();

        try (Subscription subscription = dispatcher.start(connection);
                LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.FailureStep", Level.ALL)) {
            connection.deliver(core("orders", "poison"));
            connection.deliver(core("orders", "o-2"));

            assertThat(subscription.isRunning()).isTrue();
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel().intValue()).isGreaterThanOrEqualTo(Level.WARNING.intValue());
                assertThat(record.getMessage()).contains(INTERFACE).contains("orders")
                        .contains("0af7651916cd43dd8448eb211c80319c");
            });
        }
        assertThat(handled).containsExactly("o-2");
        assertThat(connection.published()).isEmpty();
    }

    @Test
    void aPolicyThatStopsStopsTheCoreConsumer() throws Exception {
        IllegalStateException failure = new IllegalStateException("cannot handle it");
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP,
                        telemetry.options().errorPolicy(ErrorPolicy.stop()).build())
                .route("orders", String.class, (payload, message) -> {
                    handled.add(payload);
                    throw failure;
                })
                .build();

        Subscription subscription = dispatcher.start(connection);
        try (LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.FailureStep", Level.ALL)) {
            connection.deliver(core("orders", "o-1"));
            assertThat(subscription.awaitTermination(WAIT)).isTrue();
            assertStoppingLogged(log);
        } finally {
            subscription.close();
        }

        assertThat(subscription.failure()).containsSame(failure);
        assertThat(connection.deliver(core("orders", "o-2"))).isZero();
        assertThat(handled).containsExactly("o-1");
    }

    @Test
    void closingStopsDeliveryAndEndsTheSubscription() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route("orders", String.class, (payload, message) -> handled.add(payload))
                .build();

        Subscription subscription = dispatcher.start(connection);
        connection.deliver(core("orders", "o-1"));
        subscription.close();
        subscription.close();

        assertThat(subscription.isRunning()).isFalse();
        assertThat(subscription.failure()).isEmpty();
        assertThat(connection.dispatchers().get(0).isActive()).isFalse();
        assertThat(connection.deliver(core("orders", "o-2"))).isZero();
        assertThat(handled).containsExactly("o-1");
        List<SpanData> spans = telemetry.spans("process orders");
        assertThat(spans).hasSize(1);
    }

    // ---------------------------------------------------------------- helpers

    private static void assertStoppingLogged(LogCapture log) {
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
            assertThat(record.getMessage()).contains(INTERFACE).contains("stopping the consumer");
        });
    }

    private Message core(String subject, String body) {
        return FakeMessage.core(connection, subject, headers("traceparent", TRACEPARENT), body.getBytes(UTF_8));
    }

    private FakeMessage fromStream(String subject, long sequence, long delivered) {
        return FakeMessage.fromStream(connection, subject, headers("traceparent", TRACEPARENT),
                ("m-" + sequence).getBytes(UTF_8), STREAM, "billing_" + subject, sequence, delivered);
    }
}
