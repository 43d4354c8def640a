package dev.tracewire.runtime.kafka.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.ERROR_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CONSUMER_GROUP_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_PARTITION_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_KEY;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_TOMBSTONE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_OFFSET;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_MESSAGE_BODY_SIZE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThatThrownBy;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.runtime.testing.TestTelemetry;
import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaDispatcherTest {

    private static final String INTERFACE = "com.example.OrderHandler";
    private static final String GROUP = "billing";
    private static final String TOPIC = "orders";
    private static final String SPAN_NAME = "process orders";
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT_SPAN_ID = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    /** What the handler saw while it ran. */
    private final AtomicReference<SpanContext> spanInHandler = new AtomicReference<>();
    private final AtomicReference<String> tenantInBaggage = new AtomicReference<>();
    private final List<ConsumerRecord<String, String>> handled = new ArrayList<>();

    private final RecordHandler<String, String> observing = record -> {
        spanInHandler.set(Span.current().getSpanContext());
        tenantInBaggage.set(Baggage.current().getEntryValue("tenant"));
        handled.add(record);
    };

    // ---------------------------------------------------------------- span shape

    @Test
    void processSpanContinuesTheTraceTheRecordCarriesAndWrapsTheHandler() throws Exception {
        KafkaDispatcher<String, String> dispatcher = dispatcher(telemetry.options().build());
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 3, 42L, "k1", "v1");
        add(record.headers(), "traceparent", TRACEPARENT);
        add(record.headers(), "baggage", "tenant=acme");

        dispatcher.handle(record);

        SpanData process = onlyProcessSpan();
        assertThat(process)
                .hasName(SPAN_NAME)
                .hasKind(SpanKind.CONSUMER)
                .hasTraceId(TRACE_ID)
                .hasParentSpanId(PARENT_SPAN_ID)
                .hasEnded()
                .hasAttributesSatisfyingExactly(
                        equalTo(MESSAGING_SYSTEM, "kafka"),
                        equalTo(MESSAGING_DESTINATION_NAME, TOPIC),
                        equalTo(MESSAGING_OPERATION_TYPE, "process"),
                        equalTo(MESSAGING_OPERATION_NAME, "process"),
                        equalTo(MESSAGING_CONSUMER_GROUP_NAME, GROUP),
                        equalTo(MESSAGING_DESTINATION_PARTITION_ID, "3"),
                        equalTo(MESSAGING_KAFKA_OFFSET, 42L),
                        equalTo(MESSAGING_KAFKA_MESSAGE_KEY, "k1"));
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(process.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tracewire");
        assertThat(handled).containsExactly(record);
        assertThat(spanInHandler.get()).isEqualTo(process.getSpanContext());
        assertThat(tenantInBaggage.get()).isEqualTo("acme");
    }

    @Test
    void withoutADeclaredGroupNoGroupIsRecordedForRecordsHandedIn() throws Exception {
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder(INTERFACE, "",
                telemetry.options().build()).route(TOPIC, observing).build();

        dispatcher.handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1"));

        assertThat(onlyProcessSpan().getAttributes().get(MESSAGING_CONSUMER_GROUP_NAME)).isNull();
    }

    @Test
    void nullKeyIsNotRecordedAndNullValueIsATombstone() throws Exception {
        KafkaDispatcher<String, String> dispatcher = dispatcher(telemetry.options().build());

        dispatcher.handle(new ConsumerRecord<>(TOPIC, 0, 7L, null, null));

        assertThat(onlyProcessSpan()).hasAttributesSatisfyingExactly(
                equalTo(MESSAGING_SYSTEM, "kafka"),
                equalTo(MESSAGING_DESTINATION_NAME, TOPIC),
                equalTo(MESSAGING_OPERATION_TYPE, "process"),
                equalTo(MESSAGING_OPERATION_NAME, "process"),
                equalTo(MESSAGING_CONSUMER_GROUP_NAME, GROUP),
                equalTo(MESSAGING_DESTINATION_PARTITION_ID, "0"),
                equalTo(MESSAGING_KAFKA_OFFSET, 7L),
                equalTo(MESSAGING_KAFKA_MESSAGE_TOMBSTONE, true));
    }

    @Test
    void keyCaptureCanBeTurnedOff() throws Exception {
        KafkaDispatcher<String, String> dispatcher = dispatcher(telemetry.options().with(KafkaOptions.builder().captureMessageKey(false).build()).build());

        dispatcher.handle(new ConsumerRecord<>(TOPIC, 0, 0L, "secret-key", "v1"));

        SpanData process = onlyProcessSpan();
        assertThat(process.getAttributes().get(MESSAGING_KAFKA_MESSAGE_KEY)).isNull();
        assertThat(process.getAttributes().asMap().values()).doesNotContain("secret-key");
    }

    @Test
    void bodySizeIsRecordedOnlyOnRequestAndOnlyWhenKnown() throws Exception {
        ConsumerRecord<String, String> sized = new ConsumerRecord<>(TOPIC, 0, 0L, 0L, TimestampType.CREATE_TIME,
                2, 5, "k1", "hello", new RecordHeaders(), Optional.empty());
        ConsumerRecord<String, String> unsized = new ConsumerRecord<>(TOPIC, 0, 1L, "k2", "v2");

        dispatcher(telemetry.options().build()).handle(sized);
        KafkaDispatcher<String, String> measuring = dispatcher(telemetry.options().captureBodySize(true).build());
        measuring.handle(sized);
        measuring.handle(unsized);

        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(3);
        assertThat(spans.get(0).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isNull();
        assertThat(spans.get(1).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isEqualTo(5L);
        assertThat(spans.get(2).getAttributes().get(MESSAGING_MESSAGE_BODY_SIZE)).isNull();
    }

    // ---------------------------------------------------------------- failures

    static Stream<Throwable> handlerFailures() {
        return Stream.of(new IOException("disk full"), new IllegalStateException("bad state"),
                new NoClassDefFoundError("com/example/Missing"));
    }

    @ParameterizedTest
    @MethodSource("handlerFailures")
    void aHandlerFailureIsRecordedAndRethrown(Throwable failure) {
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder(INTERFACE, GROUP,
                telemetry.options().build()).route(TOPIC, throwing(failure)).build();
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1");
        add(record.headers(), "traceparent", TRACEPARENT);

        Context before = Context.current();
        assertThatThrownBy(() -> dispatcher.handle(record)).isSameAs(failure);
        assertThat(Context.current()).isSameAs(before);

        SpanData process = onlyProcessSpan();
        assertThat(process).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID).hasEnded().hasException(failure);
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(process.getStatus().getDescription()).isEqualTo(failure.getMessage());
        assertThat(process.getAttributes().get(ERROR_TYPE)).isEqualTo(failure.getClass().getName());
    }

    // ---------------------------------------------------------------- missing or bad context

    static Stream<Arguments> recordsWithoutUsableContext() {
        return Stream.of(
                Arguments.of("no traceparent", (Consumer<Headers>) headers -> { }),
                Arguments.of("garbage traceparent", (Consumer<Headers>) headers -> add(headers, "traceparent", "00-xyz")),
                Arguments.of("traceparent of null value",
                        (Consumer<Headers>) headers -> headers.add("traceparent", null)),
                Arguments.of("all-zero trace id", (Consumer<Headers>) headers -> add(headers, "traceparent",
                        "00-00000000000000000000000000000000-" + PARENT_SPAN_ID + "-01")),
                Arguments.of("garbage baggage only", (Consumer<Headers>) headers -> add(headers, "baggage", "=;=,")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsWithoutUsableContext")
    void aRecordWithoutUsableContextIsProcessedInANewTrace(String description, Consumer<Headers> headers)
            throws Exception {
        KafkaDispatcher<String, String> dispatcher = dispatcher(telemetry.options().build());
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1");
        headers.accept(record.headers());

        // Even with a span current on the dispatching thread, the record starts its own trace.
        Span ambient = telemetry.tracer().spanBuilder("ambient").startSpan();
        Context ambientContext = Context.current().with(ambient);
        Scope scope = ambientContext.makeCurrent();
        try {
            dispatcher.handle(record);
            assertThat(Context.current()).isSameAs(ambientContext);
        } finally {
            scope.close();
            ambient.end();
        }

        assertThat(handled).containsExactly(record);
        SpanData process = onlyProcessSpan();
        assertThat(process).hasNoParent();
        assertThat(process.getSpanContext().isValid()).isTrue();
        assertThat(process.getTraceId()).isNotEqualTo(ambient.getSpanContext().getTraceId()).isNotEqualTo(TRACE_ID);
        assertThat(spanInHandler.get()).isEqualTo(process.getSpanContext());
        assertThat(tenantInBaggage.get()).isNull();
    }

    @Test
    void ofDuplicateTraceparentHeadersTheLastWins() throws Exception {
        KafkaDispatcher<String, String> dispatcher = dispatcher(telemetry.options().build());
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1");
        add(record.headers(), "traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
        add(record.headers(), "traceparent", TRACEPARENT);

        dispatcher.handle(record);

        assertThat(onlyProcessSpan()).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID);
    }

    @Test
    void aFailingPropagatorNeverFailsTheRecord() throws Exception {
        TextMapPropagator broken = new TextMapPropagator() {
            @Override
            public Collection<String> fields() {
                return List.of("traceparent");
            }

            @Override
            public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
            }

            @Override
            public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
                throw new IllegalStateException("broken propagator");
            }
        };
        OpenTelemetry brokenPropagation = new OpenTelemetry() {
            @Override
            public TracerProvider getTracerProvider() {
                return telemetry.openTelemetry().getTracerProvider();
            }

            @Override
            public ContextPropagators getPropagators() {
                return ContextPropagators.create(broken);
            }
        };
        KafkaDispatcher<String, String> dispatcher =
                dispatcher(TracewireOptions.builder().openTelemetry(brokenPropagation).build());
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1");
        add(record.headers(), "traceparent", TRACEPARENT);

        try (LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.Instruments", Level.ALL)) {
            dispatcher.handle(record);
            assertThat(log.records()).singleElement()
                    .satisfies(logged -> assertThat(logged.getLevel()).isEqualTo(Level.WARNING));
        }

        assertThat(handled).containsExactly(record);
        assertThat(onlyProcessSpan()).hasNoParent();
    }

    // ---------------------------------------------------------------- routing

    @Test
    void aRecordOfAnUnknownTopicIsRejectedNamingTheTopics() {
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder(INTERFACE, GROUP,
                telemetry.options().build()).route(TOPIC, observing).route("refunds", observing).build();

        assertThatThrownBy(() -> dispatcher.handle(new ConsumerRecord<>("payments", 0, 0L, "k1", "v1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(INTERFACE)
                .hasMessageContaining("'payments'")
                .hasMessageContaining("[orders, refunds]");
        assertThat(handled).isEmpty();
        assertThat(telemetry.startedCount()).isZero();
    }

    @Test
    void eachTopicGoesToItsOwnHandlerAndSpanName() throws Exception {
        List<String> calls = new ArrayList<>();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder(INTERFACE, GROUP,
                        telemetry.options().build())
                .route(TOPIC, record -> calls.add("onOrder " + record.value()))
                .route("refunds", record -> calls.add("onRefund " + record.value()))
                .build();
        assertThat(dispatcher.topics()).containsExactly(TOPIC, "refunds");

        dispatcher.handle(new ConsumerRecord<>("refunds", 0, 0L, "k1", "r1"));
        dispatcher.handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k2", "o1"));

        assertThat(calls).containsExactly("onRefund r1", "onOrder o1");
        assertThat(telemetry.spans()).extracting(SpanData::getName).containsExactly("process refunds", SPAN_NAME);
        assertThat(telemetry.spans("process refunds").get(0).getAttributes().get(MESSAGING_DESTINATION_NAME))
                .isEqualTo("refunds");
    }

    @Test
    void aDispatcherOfWiderTypesHandlesRecordsOfNarrowerOnes() throws Exception {
        List<Object> values = new ArrayList<>();
        KafkaDispatcher<Object, Object> dispatcher = KafkaDispatcher.builder(INTERFACE, GROUP,
                telemetry.options().build()).route(TOPIC, record -> values.add(record.value())).build();
        ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1");

        dispatcher.handle(record);

        assertThat(values).containsExactly("v1");
        assertThat(onlyProcessSpan().getAttributes().get(MESSAGING_KAFKA_MESSAGE_KEY)).isEqualTo("k1");
    }

    @Test
    void aTopicCannotBeRoutedTwice() {
        KafkaDispatcher.Builder<String, String> builder =
                KafkaDispatcher.<String, String>builder(INTERFACE, GROUP, telemetry.options().build())
                        .route(TOPIC, observing);

        assertThatThrownBy(() -> builder.route(TOPIC, observing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(TOPIC);
    }

    // ---------------------------------------------------------------- context

    @Test
    void theCallersContextIsUnchangedAfterADispatchThatSucceedsOrFails() throws Exception {
        IllegalStateException failure = new IllegalStateException("bad record");
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder(INTERFACE, GROUP,
                        telemetry.options().build())
                .route(TOPIC, observing)
                .route("refunds", throwing(failure))
                .build();
        ConsumerRecord<String, String> order = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "v1");
        add(order.headers(), "traceparent", TRACEPARENT);
        ConsumerRecord<String, String> refund = new ConsumerRecord<>("refunds", 0, 0L, "k1", "v1");
        add(refund.headers(), "traceparent", TRACEPARENT);

        Context root = Context.current();
        dispatcher.handle(order);
        assertThat(Context.current()).isSameAs(root);
        assertThatThrownBy(() -> dispatcher.handle(refund)).isSameAs(failure);
        assertThat(Context.current()).isSameAs(root);

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context callerContext = root.with(caller).with(Baggage.builder().put("tenant", "caller's").build());
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
        assertThat(tenantInBaggage.get()).as("the record's baggage, not the caller's").isNull();
        assertThat(telemetry.spans(SPAN_NAME)).hasSize(2)
                .allSatisfy(span -> assertThat(span).hasParentSpanId(PARENT_SPAN_ID));
    }

    @Test
    void whatTheHandlerPublishesContinuesTheTraceIntoTheNextHop() throws Exception {
        MockProducer<String, String> producer =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        TracewireOptions options = telemetry.options().build();
        KafkaSender<String, String> refunds = new KafkaPublisher<>(producer, options).sender("refunds");
        List<String> tenants = new ArrayList<>();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder(INTERFACE, GROUP, options)
                .route(TOPIC, record -> refunds.sendAndWait(refunds.record(record.key(), "refund " + record.value())))
                .route("refunds", record -> tenants.add(Baggage.current().getEntryValue("tenant")))
                .build();
        ConsumerRecord<String, String> order = new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "o1");
        add(order.headers(), "traceparent", TRACEPARENT);
        add(order.headers(), "baggage", "tenant=acme");

        dispatcher.handle(order);
        ProducerRecord<String, String> sent = producer.history().get(0);
        ConsumerRecord<String, String> refund = new ConsumerRecord<>("refunds", 0, 0L, sent.key(), sent.value());
        for (Header header : sent.headers()) {
            refund.headers().add(header);
        }
        dispatcher.handle(refund);

        SpanData processOrder = telemetry.spans(SPAN_NAME).get(0);
        SpanData send = telemetry.spans("send refunds").get(0);
        SpanData processRefund = telemetry.spans("process refunds").get(0);
        assertThat(processOrder).hasTraceId(TRACE_ID).hasParentSpanId(PARENT_SPAN_ID);
        assertThat(send).hasTraceId(TRACE_ID).hasParent(processOrder).hasKind(SpanKind.PRODUCER);
        assertThat(processRefund).hasTraceId(TRACE_ID).hasParent(send).hasKind(SpanKind.CONSUMER);
        assertThat(tenants).containsExactly("acme");
    }

    // ---------------------------------------------------------------- helpers

    private KafkaDispatcher<String, String> dispatcher(TracewireOptions options) {
        return KafkaDispatcher.<String, String>builder(INTERFACE, GROUP, options).route(TOPIC, observing).build();
    }

    private static RecordHandler<String, String> throwing(Throwable failure) {
        return record -> {
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

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(UTF_8));
    }
}
