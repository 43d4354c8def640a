package dev.tracewire.runtime.nats.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.ERROR_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CONSUMER_GROUP_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_TEMPLATE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_DELIVERY_COUNT;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_SEQUENCE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_NATS_STREAM;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThatThrownBy;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.UndecodablePayloadException;
import dev.tracewire.runtime.internal.ProcessFailure;
import dev.tracewire.runtime.testing.FakeConnection;
import dev.tracewire.runtime.testing.FakeMessage;
import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.nats.client.Message;
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
import java.lang.reflect.UndeclaredThrowableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NatsDispatcherTest {

    private static final String INTERFACE = "com.example.OrderHandler";
    private static final String GROUP = "billing";
    private static final String SUBJECT = "orders";
    private static final String SPAN_NAME = "process orders";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_SPAN_ID = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";
    private static final String OTHER_TRACE_ID = "11111111111111111111111111111111";
    private static final String OTHER_TRACEPARENT = "00-" + OTHER_TRACE_ID + "-2222222222222222-01";
    private static final String ORDER_JSON = "{\"id\":\"o-1\",\"quantity\":2}";

    /** A JSON payload; decoding fails on any field it does not have. */
    public record Order(String id, int quantity) {
    }

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final FakeConnection connection = FakeConnection.connectedTo("nats://nats.example:4333");

    /** What the handler saw while it ran. */
    private final List<Object> handled = new ArrayList<>();
    private final AtomicReference<SpanContext> spanInHandler = new AtomicReference<>();
    private final AtomicReference<String> tenantInBaggage = new AtomicReference<>();

    private <T> MessageHandler<T> observing() {
        return (payload, message) -> {
            spanInHandler.set(Span.current().getSpanContext());
            tenantInBaggage.set(Baggage.current().getEntryValue("tenant"));
            handled.add(payload);
        };
    }

    // ---------------------------------------------------------------- span shape

    @Test
    void processSpanContinuesTheTraceTheHeadersCarryAndWrapsTheHandler() throws Exception {
        NatsDispatcher dispatcher = orders(telemetry.options().build());

        dispatcher.handle(message(SUBJECT, headers("traceparent", TRACEPARENT, "baggage", "tenant=acme"), ORDER_JSON));

        SpanData process = onlyProcessSpan();
        assertThat(process)
                .hasName(SPAN_NAME)
                .hasKind(SpanKind.CONSUMER)
                .hasTraceId(TRACE_ID)
                .hasParentSpanId(PARENT_SPAN_ID)
                .hasEnded()
                .hasAttributesSatisfyingExactly(
                        equalTo(MESSAGING_SYSTEM, "nats"),
                        equalTo(MESSAGING_DESTINATION_NAME, SUBJECT),
                        equalTo(MESSAGING_OPERATION_TYPE, "process"),
                        equalTo(MESSAGING_OPERATION_NAME, "process"),
                        equalTo(MESSAGING_CONSUMER_GROUP_NAME, GROUP));
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(process.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tracewire");
        assertThat(handled).containsExactly(new Order("o-1", 2));
        assertThat(spanInHandler.get()).isEqualTo(process.getSpanContext());
        assertThat(tenantInBaggage.get()).isEqualTo("acme");
    }

    @Test
    void withoutAQueueGroupNoGroupIsRecorded() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, "", telemetry.options().build())
                .route(SUBJECT, Order.class, observing()).build();

        dispatcher.handle(message(SUBJECT, null, ORDER_JSON));

        assertThat(onlyProcessSpan().getAttributes().get(MESSAGING_CONSUMER_GROUP_NAME)).isNull();
    }

    @Test
    void bodySizeIsRecordedOnlyOnRequest() throws Exception {
        orders(telemetry.options().build()).handle(message(SUBJECT, null, ORDER_JSON));
        orders(telemetry.options().captureBodySize(true).build()).handle(message(SUBJECT, null, ORDER_JSON));

        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2);
        assertThat(spans.get(0).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isNull();
        assertThat(spans.get(1).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isEqualTo((long) ORDER_JSON.length());
    }

    @Test
    void aJetStreamMessageAddsItsStreamSequenceAndDeliveryCountAndIsNotAcknowledgedHere() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .routeStream(SUBJECT, "ORDERS", Order.class, observing()).build();
        FakeMessage message = FakeMessage.fromStream(connection, SUBJECT, headers("traceparent", TRACEPARENT),
                ORDER_JSON.getBytes(UTF_8), "ORDERS", "billing_orders", 17, 3);

        dispatcher.handle(message);

        SpanData process = onlyProcessSpan();
        assertThat(process).hasParentSpanId(PARENT_SPAN_ID);
        assertThat(process.getAttributes().get(MESSAGING_NATS_STREAM)).isEqualTo("ORDERS");
        assertThat(process.getAttributes().get(MESSAGING_NATS_SEQUENCE)).isEqualTo(17L);
        assertThat(process.getAttributes().get(MESSAGING_NATS_DELIVERY_COUNT)).isEqualTo(3L);
        assertThat(message.acknowledgements()).as("acknowledging is the caller's").isEmpty();
        assertThat(handled).containsExactly(new Order("o-1", 2));
    }

    // ---------------------------------------------------------------- routing

    @Test
    void aWildcardSubjectIsTheTemplateAndTheMessagesSubjectTheName() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route("orders.*", Order.class, observing()).build();

        dispatcher.handle(message("orders.eu", null, ORDER_JSON));

        List<SpanData> spans = telemetry.spans("process orders.*");
        assertThat(spans).singleElement().satisfies(process -> assertThat(process).hasAttributesSatisfyingExactly(
                equalTo(MESSAGING_SYSTEM, "nats"),
                equalTo(MESSAGING_DESTINATION_TEMPLATE, "orders.*"),
                equalTo(MESSAGING_DESTINATION_NAME, "orders.eu"),
                equalTo(MESSAGING_OPERATION_TYPE, "process"),
                equalTo(MESSAGING_OPERATION_NAME, "process"),
                equalTo(MESSAGING_CONSUMER_GROUP_NAME, GROUP)));
    }

    @Test
    void anExactSubjectWinsOverWildcardsWhichAreTriedInDeclarationOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route("orders.>", String.class, (payload, message) -> calls.add("any " + message.getSubject()))
                .route("orders.*", String.class, (payload, message) -> calls.add("one " + message.getSubject()))
                .route("orders.eu", String.class, (payload, message) -> calls.add("eu " + message.getSubject()))
                .build();

        dispatcher.handle(message("orders.eu", null, "x"));
        dispatcher.handle(message("orders.us", null, "x"));
        dispatcher.handle(message("orders.us.east", null, "x"));

        assertThat(calls).containsExactly("eu orders.eu", "any orders.us", "any orders.us.east");
        assertThat(telemetry.spans()).extracting(SpanData::getName)
                .containsExactly("process orders.eu", "process orders.>", "process orders.>");
    }

    @Test
    void aMessageOfAnUnknownSubjectIsRejectedNamingTheSubjects() {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route(SUBJECT, Order.class, observing())
                .route("refunds.*", Order.class, observing())
                .build();

        assertThatThrownBy(() -> dispatcher.handle(message("payments", null, ORDER_JSON)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(INTERFACE)
                .hasMessageContaining("'payments'")
                .hasMessageContaining("[orders, refunds.*]");
        assertThat(handled).isEmpty();
        assertThat(telemetry.startedCount()).isZero();
    }

    // ---------------------------------------------------------------- missing or bad context in headers

    static Stream<Headers> headersWithoutUsableContext() {
        Headers empty = new Headers();
        return Stream.of(null, empty, headers("traceparent", "00-xyz"),
                headers("traceparent", "00-00000000000000000000000000000000-" + PARENT_SPAN_ID + "-01"),
                headers("baggage", "=;=,"));
    }

    @ParameterizedTest
    @MethodSource("headersWithoutUsableContext")
    void aMessageWithoutUsableContextIsProcessedInANewTrace(Headers headers) throws Exception {
        NatsDispatcher dispatcher = orders(telemetry.options().build());

        Span ambient = telemetry.tracer().spanBuilder("ambient").startSpan();
        Context ambientContext = Context.current().with(ambient);
        Scope scope = ambientContext.makeCurrent();
        try {
            dispatcher.handle(message(SUBJECT, headers, ORDER_JSON));
            assertThat(Context.current()).isSameAs(ambientContext);
        } finally {
            scope.close();
            ambient.end();
        }

        assertThat(handled).containsExactly(new Order("o-1", 2));
        SpanData process = onlyProcessSpan();
        assertThat(process).hasNoParent();
        assertThat(process.getTraceId()).isNotEqualTo(ambient.getSpanContext().getTraceId());
        assertThat(spanInHandler.get()).isEqualTo(process.getSpanContext());
    }

    @Test
    void ofDuplicateTraceparentHeadersTheLastWins() throws Exception {
        Headers headers = new Headers().add("traceparent", OTHER_TRACEPARENT, TRACEPARENT);

        orders(telemetry.options().build()).handle(message(SUBJECT, headers, ORDER_JSON));

        assertThat(onlyProcessSpan()).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID);
    }

    // ---------------------------------------------------------------- payload-embedded context

    @Test
    void aContextEmbeddedInThePayloadIsTheParentWhenTheHeadersHaveNone() throws Exception {
        NatsDispatcher dispatcher = orders(telemetry.options().build());

        dispatcher.handle(message(SUBJECT, headers("tenant", "acme"), embedded(
                "{\"traceparent\":\"" + TRACEPARENT + "\",\"baggage\":\"tenant=from-payload\"}")));

        assertThat(onlyProcessSpan()).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID);
        assertThat(handled).as("decoded without the context field").containsExactly(new Order("o-1", 2));
        assertThat(tenantInBaggage.get()).isEqualTo("from-payload");
    }

    @Test
    void aValidContextInTheHeadersWinsAndTheEmbeddedOneIsStillRemoved() throws Exception {
        NatsDispatcher dispatcher = orders(telemetry.options().build());

        dispatcher.handle(message(SUBJECT, headers("traceparent", TRACEPARENT),
                embedded("{\"traceparent\":\"" + OTHER_TRACEPARENT + "\"}")));

        assertThat(onlyProcessSpan()).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID);
        assertThat(handled).containsExactly(new Order("o-1", 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"traceparent\":\"00-xyz\"}", "{\"traceparent\":42}", "{\"traceparent\":null}", "{}",
            "\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"", "42", "null", "true", "[1,2]",
            "{\"traceparent\":{\"nested\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}}"})
    void whateverTheEmbeddedFieldHoldsItIsRemovedAndAMalformedOneStartsANewTrace(String field) throws Exception {
        NatsDispatcher dispatcher = orders(telemetry.options().build());

        dispatcher.handle(message(SUBJECT, null, embedded(field)));

        assertThat(handled).as("decoded without the context field").containsExactly(new Order("o-1", 2));
        SpanData process = onlyProcessSpan();
        assertThat(process).hasNoParent();
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void theConfiguredFieldIsRemovedAndOnlyAtTheTopLevel() throws Exception {
        List<String> payloads = new ArrayList<>();
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP,
                        telemetry.options().payloadContextField("ctx").build())
                .route(SUBJECT, String.class, (payload, message) -> payloads.add(payload))
                .build();
        String nested = "{\"a\":{\"ctx\":{\"traceparent\":\"" + TRACEPARENT + "\"}}}";

        dispatcher.handle(message(SUBJECT, null, "{\"ctx\":{\"traceparent\":\"" + TRACEPARENT + "\"},\"a\":1}"));
        dispatcher.handle(message(SUBJECT, null, nested));
        dispatcher.handle(message(SUBJECT, null, "{\"_otel_trace_headers\":{},\"a\":1}"));
        dispatcher.handle(message(SUBJECT, null, "not json, \"ctx\""));

        assertThat(payloads).containsExactly("{\"a\":1}", nested, "{\"_otel_trace_headers\":{},\"a\":1}",
                "not json, \"ctx\"");
        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(4);
        assertThat(spans.get(0)).hasParentSpanId(PARENT_SPAN_ID);
        assertThat(spans.subList(1, 4)).allSatisfy(span -> assertThat(span).hasNoParent());
    }

    @Test
    void withANoOpOpenTelemetryTheEmbeddedFieldIsStillRemoved() throws Exception {
        NatsDispatcher dispatcher = orders(TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build());

        dispatcher.handle(message(SUBJECT, null, embedded("{\"traceparent\":\"" + TRACEPARENT + "\"}")));
        dispatcher.handle(message(SUBJECT, null, embedded("\"garbage\"")));

        assertThat(handled).containsExactly(new Order("o-1", 2), new Order("o-1", 2));
        assertThat(spanInHandler.get()).isEqualTo(SpanContext.getInvalid());
        assertThat(telemetry.startedCount()).isZero();
    }

    // ---------------------------------------------------------------- failures

    @Test
    void aPayloadThatDoesNotDecodeIsAProcessFailureInAFailedSpan() {
        NatsDispatcher dispatcher = orders(telemetry.options().build());
        Message message = message(SUBJECT, headers("traceparent", TRACEPARENT), "not an order");

        ProcessFailure failure = dispatcher.process(dispatcher.routes.get(0), message);

        assertThat(failure).isNotNull();
        assertThat(failure.cause()).isInstanceOf(UndecodablePayloadException.class).hasMessageContaining(SUBJECT)
                .cause().isInstanceOf(UncheckedIOException.class).hasMessageContaining("Order");
        assertThat(handled).isEmpty();
        SpanData process = onlyProcessSpan();
        assertThat(failure.span()).isEqualTo(process.getSpanContext());
        assertThat(failure.traceId()).isEqualTo(TRACE_ID);
        assertThat(process).hasParentSpanId(PARENT_SPAN_ID).hasException(failure.cause());
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getAttributes().get(ERROR_TYPE)).isEqualTo(UndecodablePayloadException.class.getName());
        assertThatThrownBy(() -> dispatcher.handle(message)).isInstanceOf(UndecodablePayloadException.class);
    }

    static Stream<Throwable> handlerFailures() {
        return Stream.of(new IOException("disk full"), new IllegalStateException("bad state"),
                new NoClassDefFoundError("com/example/Missing"), new StackOverflowError("deep"));
    }

    @ParameterizedTest
    @MethodSource("handlerFailures")
    void aHandlerFailureIsRecordedAndRethrownAsItIs(Throwable failure) {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route(SUBJECT, Order.class, throwing(failure)).build();

        Context before = Context.current();
        assertThatThrownBy(() -> dispatcher.handle(message(SUBJECT, headers("traceparent", TRACEPARENT), ORDER_JSON),
                IOException.class)).isSameAs(failure);
        assertThat(Context.current()).isSameAs(before);

        SpanData process = onlyProcessSpan();
        assertThat(process).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID).hasEnded().hasException(failure);
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getStatus().getDescription()).isEqualTo(failure.getMessage());
        assertThat(process.getAttributes().get(ERROR_TYPE)).isEqualTo(failure.getClass().getName());
    }

    @Test
    void aCheckedExceptionTheInterfaceDoesNotDeclareIsWrapped() {
        IOException failure = new IOException("disk full");
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route(SUBJECT, Order.class, throwing(failure)).build();

        assertThatThrownBy(() -> dispatcher.handle(message(SUBJECT, null, ORDER_JSON), TimeoutException.class))
                .isInstanceOf(UndeclaredThrowableException.class).cause().isSameAs(failure);
        assertThat(onlyProcessSpan().getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }

    // ---------------------------------------------------------------- responders

    @Test
    void aRespondersReplyGoesToTheReplySubjectCarryingTheProcessSpansContext() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .respond(SUBJECT, String.class, String.class, (payload, message) -> "re: " + payload)
                .build();

        dispatcher.handle(FakeMessage.request(connection, SUBJECT, "_INBOX.r1",
                headers("traceparent", TRACEPARENT, "baggage", "tenant=acme"), "hi".getBytes(UTF_8)));

        SpanData process = onlyProcessSpan();
        NatsMessage reply = connection.published("_INBOX.r1").get(0);
        assertThat(new String(reply.getData(), UTF_8)).isEqualTo("re: hi");
        assertThat(reply.getHeaders().get("traceparent"))
                .containsExactly("00-" + TRACE_ID + "-" + process.getSpanId() + "-01");
        assertThat(reply.getHeaders().get("baggage")).containsExactly("tenant=acme");
        assertThat(connection.published()).hasSize(1);
    }

    @Test
    void aRequestWithoutReplySubjectIsAnsweredIntoTheLogNotTheNetwork() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .respond(SUBJECT, String.class, String.class, (payload, message) -> "re: " + payload)
                .build();

        try (LogCapture log = LogCapture.of(NatsDispatcher.class, Level.ALL)) {
            dispatcher.handle(message(SUBJECT, null, "hi"));
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).contains(INTERFACE).contains(SUBJECT).contains("no reply subject");
            });
        }
        assertThat(connection.published()).isEmpty();
        assertThat(onlyProcessSpan().getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void aReplyThatCannotBePublishedFailsTheMessage() {
        IllegalStateException closed = new IllegalStateException("Connection is Closed");
        connection.failPublishesWith(closed);
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .respond(SUBJECT, String.class, String.class, (payload, message) -> "re: " + payload)
                .build();

        assertThatThrownBy(() -> dispatcher.handle(FakeMessage.request(connection, SUBJECT, "_INBOX.r1", null,
                "hi".getBytes(UTF_8)))).isSameAs(closed);
        assertThat(onlyProcessSpan()).hasException(closed);
    }

    @Test
    void anUntracedRespondersReplyCarriesNoHeaders() throws Exception {
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP,
                        TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build())
                .respond(SUBJECT, String.class, String.class, (payload, message) -> "re: " + payload)
                .build();

        dispatcher.handle(FakeMessage.request(connection, SUBJECT, "_INBOX.r1", headers("traceparent", TRACEPARENT),
                "hi".getBytes(UTF_8)));

        NatsMessage reply = connection.published("_INBOX.r1").get(0);
        assertThat(new String(reply.getData(), UTF_8)).isEqualTo("re: hi");
        assertThat(reply.hasHeaders()).isFalse();
        assertThat(telemetry.startedCount()).isZero();
    }

    // ---------------------------------------------------------------- context

    @Test
    void theCallersContextIsUnchangedAfterADispatchThatSucceedsOrFails() throws Exception {
        IllegalStateException failure = new IllegalStateException("bad message");
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, telemetry.options().build())
                .route(SUBJECT, Order.class, observing())
                .route("refunds", Order.class, throwing(failure))
                .build();
        Message order = message(SUBJECT, headers("traceparent", TRACEPARENT), ORDER_JSON);
        Message refund = message("refunds", headers("traceparent", TRACEPARENT), ORDER_JSON);

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller).with(Baggage.builder().put("tenant", "caller's").build());
        Scope scope = callerContext.makeCurrent();
        try {
            dispatcher.handle(order);
            assertThat(Context.current()).isSameAs(callerContext);
            assertThatThrownBy(() -> dispatcher.handle(refund)).isSameAs(failure);
            assertThat(Context.current()).isSameAs(callerContext);
        } finally {
            scope.close();
            caller.end();
        }
        assertThat(tenantInBaggage.get()).as("the message's baggage, not the caller's").isNull();
        assertThat(telemetry.spans()).filteredOn(span -> span.getName().startsWith("process"))
                .hasSize(2).allSatisfy(span -> assertThat(span).hasParentSpanId(PARENT_SPAN_ID));
    }

    @Test
    void whatTheHandlerPublishesContinuesTheTraceIntoTheNextHop() throws Exception {
        TracewireOptions options = telemetry.options().build();
        NatsSender<String> refunds = new NatsPublisher(connection, options).sender("refunds", String.class);
        List<String> tenants = new ArrayList<>();
        NatsDispatcher dispatcher = NatsDispatcher.builder(INTERFACE, GROUP, options)
                .route(SUBJECT, Order.class, (order, message) -> refunds.publish(null, "refund " + order.id()))
                .route("refunds", String.class, (refund, message) -> tenants.add(Baggage.current().getEntryValue("tenant")))
                .build();

        dispatcher.handle(message(SUBJECT, headers("traceparent", TRACEPARENT, "baggage", "tenant=acme"), ORDER_JSON));
        NatsMessage sent = connection.published("refunds").get(0);
        dispatcher.handle(FakeMessage.core(connection, "refunds", sent.getHeaders(), sent.getData()));

        SpanData processOrder = telemetry.spans(SPAN_NAME).get(0);
        SpanData publish = telemetry.spans("publish refunds").get(0);
        SpanData processRefund = telemetry.spans("process refunds").get(0);
        assertThat(processOrder).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID);
        assertThat(publish).hasTraceId(TRACE_ID).hasParent(processOrder).hasKind(SpanKind.PRODUCER);
        assertThat(processRefund).hasTraceId(TRACE_ID).hasParent(publish).hasKind(SpanKind.CONSUMER);
        assertThat(tenants).containsExactly("acme");
    }

    // ---------------------------------------------------------------- helpers

    private NatsDispatcher orders(TracewireOptions options) {
        return NatsDispatcher.builder(INTERFACE, GROUP, options).route(SUBJECT, Order.class, observing()).build();
    }

    private Message message(String subject, Headers headers, String body) {
        return FakeMessage.core(connection, subject, headers, body.getBytes(UTF_8));
    }

    /** An order whose payload carries {@code field} as its context field, first as peers put it. */
    private static String embedded(String field) {
        return "{\"_otel_trace_headers\":" + field + ",\"id\":\"o-1\",\"quantity\":2}";
    }

    static Headers headers(String... namesAndValues) {
        Headers headers = new Headers();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            headers.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return headers;
    }

    private static <T> MessageHandler<T> throwing(Throwable failure) {
        return (payload, message) -> {
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        };
    }

    private SpanData onlyProcessSpan() {
        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }
}
