package dev.tracewire.runtime.kafka.internal;

import static dev.tracewire.runtime.internal.MessagingAttributes.ERROR_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_CLIENT_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_DESTINATION_PARTITION_ID;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_KEY;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_MESSAGE_TOMBSTONE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_KAFKA_OFFSET;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_NAME;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_OPERATION_TYPE;
import static dev.tracewire.runtime.internal.MessagingAttributes.MESSAGING_SYSTEM;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThatThrownBy;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static dev.tracewire.runtime.testing.TestSupport.awaitTrue;
import static dev.tracewire.runtime.testing.TestSupport.traceparent;
import static dev.tracewire.runtime.testing.TestSupport.values;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.runtime.testing.TestTelemetry;
import dev.tracewire.runtime.testing.LogCapture;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaSenderTest {

    private static final String TOPIC = "orders";
    private static final String SPAN_NAME = "send orders";
    private static final String POISON = "poison";

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    // ---------------------------------------------------------------- span shape

    @Test
    void sendStartsProducerSpanChildOfCallerWithStartAndAckAttributes() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);
        assertThat(sender.topic()).isEqualTo(TOPIC);

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        RecordMetadata metadata;
        Scope scope = caller.makeCurrent();
        try {
            metadata = sender.send(sender.record("k1", "v1")).get(5, TimeUnit.SECONDS);
        } finally {
            scope.close();
            caller.end();
        }

        assertThat(metadata.topic()).isEqualTo(TOPIC);
        assertThat(metadata.offset()).isZero();
        SpanData send = onlySendSpan(2);
        assertThat(send)
                .hasName(SPAN_NAME)
                .hasKind(SpanKind.PRODUCER)
                .hasTraceId(caller.getSpanContext().getTraceId())
                .hasParentSpanId(caller.getSpanContext().getSpanId())
                .hasEnded()
                .hasAttributesSatisfyingExactly(
                        equalTo(MESSAGING_SYSTEM, "kafka"),
                        equalTo(MESSAGING_DESTINATION_NAME, TOPIC),
                        equalTo(MESSAGING_OPERATION_TYPE, "send"),
                        equalTo(MESSAGING_OPERATION_NAME, "send"),
                        equalTo(MESSAGING_KAFKA_MESSAGE_KEY, "k1"),
                        equalTo(MESSAGING_DESTINATION_PARTITION_ID, "0"),
                        equalTo(MESSAGING_KAFKA_OFFSET, 0L));
        assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(send.getEvents()).isEmpty();
        assertThat(send.getInstrumentationScopeInfo().getName()).isEqualTo("dev.tracewire");
        assertThat(send.getInstrumentationScopeInfo().getVersion())
                .as("the version filtered into tracewire.properties")
                .isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void withoutCurrentSpanTheProducerSpanStartsATrace() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);

        sender.send(sender.record("k1", "v1")).get(5, TimeUnit.SECONDS);

        assertThat(onlySendSpan(1)).hasNoParent();
    }

    @Test
    void ackAttributesCarryTheBrokersPartitionAndOffset() {
        Node broker = new Node(1, "localhost", 9092);
        Node[] replicas = {broker};
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int partition = 0; partition < 4; partition++) {
            partitions.add(new PartitionInfo(TOPIC, partition, broker, replicas, replicas));
        }
        Cluster cluster = new Cluster("cluster", List.of(broker), partitions, Set.of(), Set.of());
        MockProducer<String, String> producer =
                new MockProducer<>(cluster, true, null, new StringSerializer(), new StringSerializer());
        KafkaSender<String, String> sender = sender(producer);

        RecordMetadata first = sender.sendAndWait(new ProducerRecord<>(TOPIC, 3, "k1", "v1"));
        RecordMetadata second = sender.sendAndWait(new ProducerRecord<>(TOPIC, 3, "k2", "v2"));

        assertThat(first.partition()).isEqualTo(3);
        assertThat(second.offset()).isEqualTo(1L);
        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2);
        assertThat(spans.get(0).getAttributes().get(MESSAGING_DESTINATION_PARTITION_ID)).isEqualTo("3");
        assertThat(spans.get(0).getAttributes().get(MESSAGING_KAFKA_OFFSET)).isEqualTo(0L);
        assertThat(spans.get(1).getAttributes().get(MESSAGING_DESTINATION_PARTITION_ID)).isEqualTo("3");
        assertThat(spans.get(1).getAttributes().get(MESSAGING_KAFKA_OFFSET)).isEqualTo(1L);
    }

    @Test
    void nullKeyIsNotRecordedAndNullValueIsATombstone() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);

        sender.send(sender.record(null, null)).get(5, TimeUnit.SECONDS);

        assertThat(onlySendSpan(1)).hasAttributesSatisfyingExactly(
                equalTo(MESSAGING_SYSTEM, "kafka"),
                equalTo(MESSAGING_DESTINATION_NAME, TOPIC),
                equalTo(MESSAGING_OPERATION_TYPE, "send"),
                equalTo(MESSAGING_OPERATION_NAME, "send"),
                equalTo(MESSAGING_KAFKA_MESSAGE_TOMBSTONE, true),
                equalTo(MESSAGING_DESTINATION_PARTITION_ID, "0"),
                equalTo(MESSAGING_KAFKA_OFFSET, 0L));
    }

    @Test
    void keyCaptureCanBeTurnedOff() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer,
                telemetry.options().with(KafkaOptions.builder().captureMessageKey(false).build()).build()).sender(TOPIC);

        sender.send(sender.record("secret-key", "v1")).get(5, TimeUnit.SECONDS);

        SpanData send = onlySendSpan(1);
        assertThat(send.getAttributes().get(MESSAGING_KAFKA_MESSAGE_KEY)).isNull();
        assertThat(send.getAttributes().asMap().values()).doesNotContain("secret-key");
        assertThat(send.getAttributes().get(MESSAGING_KAFKA_MESSAGE_TOMBSTONE)).isNull();
    }

    @Test
    void byteArrayKeyIsRecordedAsUtf8() throws Exception {
        MockProducer<byte[], String> producer =
                new MockProducer<>(true, null, new ByteArraySerializer(), new StringSerializer());
        KafkaSender<byte[], String> sender = new KafkaPublisher<>(producer, telemetry.options().build()).sender(TOPIC);

        sender.send(sender.record("kø-1".getBytes(UTF_8), "v1")).get(5, TimeUnit.SECONDS);

        assertThat(onlySendSpan(1).getAttributes().get(MESSAGING_KAFKA_MESSAGE_KEY)).isEqualTo("kø-1");
    }

    @Test
    void widenedPublisherSendsNullKeysThroughAProducerOfAnyKeyType() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<Object, String> sender =
                KafkaPublisher.<Object, String>widened(producer, telemetry.options().build()).sender(TOPIC);

        sender.send(sender.record(null, "v1")).get(5, TimeUnit.SECONDS);

        assertThat(producer.history()).singleElement().satisfies(sent -> assertThat(sent.key()).isNull());
        assertThat(onlySendSpan(1).getAttributes().get(MESSAGING_KAFKA_MESSAGE_KEY)).isNull();
    }

    @Test
    void clientIdComesFromTheProducersMetricTags() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        MetricName name = new MetricName("record-send-rate", "producer-metrics", "", Map.of("client-id", "billing-1"));
        producer.setMockMetrics(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return 0.0;
            }
        });
        KafkaSender<String, String> sender = sender(producer);

        sender.send(sender.record("k1", "v1")).get(5, TimeUnit.SECONDS);

        assertThat(onlySendSpan(1).getAttributes().get(MESSAGING_CLIENT_ID)).isEqualTo("billing-1");
    }

    // ---------------------------------------------------------------- propagation and headers

    @Test
    void injectsTheProducerSpanContextAndBaggageIntoTheRecordHeaders() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);
        ProducerRecord<String, String> record = sender.record("k1", "v1");

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller).with(Baggage.builder().put("user", "alice").build());
        Scope scope = callerContext.makeCurrent();
        try {
            sender.send(record).get(5, TimeUnit.SECONDS);
        } finally {
            scope.close();
            caller.end();
        }

        SpanData send = onlySendSpan(2);
        ProducerRecord<String, String> sent = producer.history().get(0);
        assertThat(values(sent.headers(), "traceparent")).containsExactly(traceparent(send.getSpanContext()));
        assertThat(values(sent.headers(), "baggage")).containsExactly("user=alice");
    }

    @Test
    void anExistingTraceparentIsReplacedNotDuplicated() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);
        ProducerRecord<String, String> record = sender.record("k1", "v1");
        String stale = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        record.headers().add("traceparent", stale.getBytes(UTF_8));
        record.headers().add("traceparent", stale.getBytes(UTF_8));

        sender.send(record).get(5, TimeUnit.SECONDS);

        SpanData send = onlySendSpan(1);
        assertThat(send).hasNoParent();
        assertThat(values(producer.history().get(0).headers(), "traceparent"))
                .containsExactly(traceparent(send.getSpanContext()));
    }

    @Test
    void userHeadersAreSetReplacedAndRemovedAlongsideTheTraceContext() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);

        ProducerRecord<String, String> set = sender.record("k1", "v1");
        KafkaHeaders.put(set.headers(), "tenant", "acme");
        sender.send(set).get(5, TimeUnit.SECONDS);

        ProducerRecord<String, String> replaced = sender.record("k2", "v2");
        KafkaHeaders.put(replaced.headers(), "tenant", "acme");
        KafkaHeaders.put(replaced.headers(), "tenant", "globex");
        sender.send(replaced).get(5, TimeUnit.SECONDS);

        ProducerRecord<String, String> removed = sender.record("k3", "v3");
        KafkaHeaders.put(removed.headers(), "tenant", "acme");
        KafkaHeaders.put(removed.headers(), "tenant", (String) null);
        sender.send(removed).get(5, TimeUnit.SECONDS);

        List<ProducerRecord<String, String>> history = producer.history();
        assertThat(history).hasSize(3);
        assertThat(values(history.get(0).headers(), "tenant")).containsExactly("acme");
        assertThat(values(history.get(1).headers(), "tenant")).containsExactly("globex");
        assertThat(values(history.get(2).headers(), "tenant")).isEmpty();
        for (ProducerRecord<String, String> sent : history) {
            assertThat(values(sent.headers(), "traceparent")).hasSize(1);
        }
        assertThat(telemetry.spans(SPAN_NAME)).hasSize(3);
    }

    // ---------------------------------------------------------------- failures

    @Test
    void asynchronousFailureEndsTheSpanWithTheErrorAndFailsTheFuture() {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);

        Context before = Context.current();
        CompletableFuture<RecordMetadata> future = sender.send(sender.record("k1", "v1"));
        assertThat(Context.current()).isSameAs(before);
        assertThat(future).isNotDone();
        assertThat(telemetry.spans()).as("the span is open until the broker answers").isEmpty();

        TimeoutException failure = new TimeoutException("no ack from the broker");
        assertThat(producer.errorNext(failure)).isTrue();

        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class).hasCause(failure);
        assertFailed(onlySendSpan(1), failure);
    }

    @Test
    void synchronousFailureOfSendEndsTheSpanAndReturnsAFailedFuture() {
        MockProducer<String, String> producer = poisonRejecting();
        KafkaSender<String, String> sender = sender(producer);

        Context before = Context.current();
        CompletableFuture<RecordMetadata> future = sender.send(sender.record("k1", POISON));
        assertThat(Context.current()).isSameAs(before);

        assertThat(future).isCompletedExceptionally();
        assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(SerializationException.class);
        assertFailed(onlySendSpan(1), SerializationException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void synchronousFailureOfSendAndForgetEndsTheSpanAndThrows() {
        MockProducer<String, String> producer = poisonRejecting();
        KafkaSender<String, String> sender = sender(producer);

        Context before = Context.current();
        assertThatThrownBy(() -> sender.sendAndForget(sender.record("k1", POISON)))
                .isInstanceOf(SerializationException.class);
        assertThat(Context.current()).isSameAs(before);

        assertFailed(onlySendSpan(1), SerializationException.class);
    }

    @Test
    void synchronousFailureOfSendAndWaitEndsTheSpanAndThrowsTheSameType() {
        MockProducer<String, String> producer = poisonRejecting();
        KafkaSender<String, String> sender = sender(producer);

        Context before = Context.current();
        assertThatThrownBy(() -> sender.sendAndWait(sender.record("k1", POISON)))
                .isInstanceOf(SerializationException.class);
        assertThat(Context.current()).isSameAs(before);

        assertFailed(onlySendSpan(1), SerializationException.class);
    }

    @Test
    void aFailureBothReportedToTheCallbackAndThrownEndsTheSpanOnce() {
        // KafkaProducer reports some failures to the callback and then throws them as well.
        MockProducer<String, String> producer = new MockProducer<>(true, null, new StringSerializer(),
                new StringSerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<String, String> record, Callback callback) {
                SerializationException failure = new SerializationException("reported twice");
                callback.onCompletion(null, failure);
                throw failure;
            }
        };
        KafkaSender<String, String> sender = sender(producer);

        CompletableFuture<RecordMetadata> future = sender.send(sender.record("k1", "v1"));
        try (LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.SendOperation", Level.ALL)) {
            assertThatThrownBy(() -> sender.sendAndForget(sender.record("k2", "v2")))
                    .isInstanceOf(SerializationException.class).hasMessage("reported twice");
            assertThat(log.records()).hasSize(1);
        }

        assertThat(future).isCompletedExceptionally();
        List<SpanData> spans = telemetry.spans(SPAN_NAME);
        assertThat(spans).hasSize(2);
        for (SpanData span : spans) {
            assertFailed(span, SerializationException.class);
            assertThat(span.getEvents()).hasSize(1);
        }
    }

    @Test
    void asynchronousFailureOfSendAndForgetIsRecordedAndLoggedNotThrown() {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);

        try (LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.SendOperation", Level.ALL)) {
            sender.sendAndForget(sender.record("k1", "v1"));
            assertThat(telemetry.spans()).isEmpty();

            TimeoutException failure = new TimeoutException("no ack from the broker");
            producer.errorNext(failure);

            assertFailed(onlySendSpan(1), failure);
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getMessage()).contains(TOPIC);
                assertThat(record.getThrown()).isSameAs(failure);
            });
        }
    }

    @Test
    void aSampledOutFireAndForgetSendCarriesTheNotSampledContextAndStillLogsItsFailure() {
        MockProducer<String, String> producer = pending();
        try (OpenTelemetrySdk dropping = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
                LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.SendOperation", Level.ALL)) {
            KafkaSender<String, String> sender = new KafkaPublisher<>(producer,
                    TracewireOptions.builder().openTelemetry(dropping).build()).sender(TOPIC);
            Span parent = dropping.getTracer("test").spanBuilder("caller").startSpan();
            Scope scope = parent.makeCurrent();
            try {
                sender.sendAndForget(sender.record("k1", "v1"));
            } finally {
                scope.close();
                parent.end();
            }

            String sent = new String(producer.history().get(0).headers().lastHeader("traceparent").value(), UTF_8);
            assertThat(sent).startsWith("00-" + parent.getSpanContext().getTraceId() + "-")
                    .doesNotContain(parent.getSpanContext().getSpanId());
            int flags = Integer.parseInt(sent.substring(sent.length() - 2), 16);
            assertThat(flags & 1).as("the sampled flag of %s", sent).isZero();

            TimeoutException failure = new TimeoutException("no ack from the broker");
            producer.errorNext(failure);
            assertThat(log.records()).singleElement().satisfies(record -> {
                assertThat(record.getMessage()).contains(TOPIC);
                assertThat(record.getThrown()).isSameAs(failure);
            });
        }
        assertThat(telemetry.spans()).isEmpty();
    }

    @Test
    void asynchronousFailureOfSendIsNotLoggedTheCallerGetsIt() {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);

        try (LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.SendOperation", Level.ALL)) {
            CompletableFuture<RecordMetadata> future = sender.send(sender.record("k1", "v1"));
            producer.errorNext(new TimeoutException("no ack"));

            assertThat(future).isCompletedExceptionally();
            assertThat(log.records()).isEmpty();
        }
        assertThat(telemetry.spans(SPAN_NAME)).hasSize(1);
    }

    // ---------------------------------------------------------------- sendAndWait

    @Test
    void sendAndWaitReturnsTheMetadata() {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);

        Context before = Context.current();
        RecordMetadata metadata = sender.sendAndWait(sender.record("k1", "v1"));
        assertThat(Context.current()).isSameAs(before);

        assertThat(metadata.topic()).isEqualTo(TOPIC);
        assertThat(metadata.partition()).isZero();
        assertThat(metadata.offset()).isZero();
        assertThat(onlySendSpan(1).getAttributes().get(MESSAGING_KAFKA_OFFSET)).isEqualTo(0L);
    }

    @Test
    void sendAndWaitBlocksUntilTheAckAndThrowsAnAsynchronousFailure() throws Exception {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<RecordMetadata> waiting = executor.submit(() -> sender.sendAndWait(sender.record("k1", "v1")));
            awaitTrue(() -> producer.history().size() == 1, "the record reaches the producer");
            assertThat(waiting).isNotDone();

            TimeoutException failure = new TimeoutException("no ack from the broker");
            producer.errorNext(failure);

            assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isSameAs(failure);
            assertFailed(onlySendSpan(1), failure);
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void sendAndWaitTurnsAnInterruptIntoInterruptExceptionAndKeepsTheFlag() {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> sender.sendAndWait(sender.record("k1", "v1")))
                    .isInstanceOf(InterruptException.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }

        // The record was handed to the producer; its span ends when the broker answers.
        assertThat(telemetry.spans()).isEmpty();
        producer.completeNext();
        assertThat(onlySendSpan(1).getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    // ---------------------------------------------------------------- completion order and context

    @Test
    void theFutureCompletesAfterTheSpanEndedAndRunsDependentsInTheCallersContext() throws Exception {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Context before = Context.current();
        CompletableFuture<Observation> observed;
        Scope scope = caller.makeCurrent();
        try {
            CompletableFuture<RecordMetadata> future = sender.send(sender.record("k1", "v1"));
            observed = future.thenApply(metadata -> Observation.now(telemetry));
        } finally {
            scope.close();
        }
        assertThat(Context.current()).isSameAs(before);

        // The broker answers on another thread, in some unrelated context.
        Observation onCompletingThread = completeOnOtherThread(producer::completeNext);
        caller.end();

        Observation inDependent = observed.get(5, TimeUnit.SECONDS);
        assertThat(inDependent.current).isEqualTo(caller.getSpanContext());
        assertThat(inDependent.endedSpans).containsExactly(SPAN_NAME);
        assertThat(onCompletingThread.current)
                .as("the completing thread's context is what it was before the callback")
                .isEqualTo(onCompletingThread.unrelated);
    }

    @Test
    void aFailedFutureAlsoRunsDependentsAfterTheSpanEndedInTheCallersContext() throws Exception {
        MockProducer<String, String> producer = pending();
        KafkaSender<String, String> sender = sender(producer);

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        CompletableFuture<Observation> observed;
        Scope scope = caller.makeCurrent();
        try {
            observed = sender.send(sender.record("k1", "v1"))
                    .handle((metadata, failure) -> failure == null ? null : Observation.now(telemetry));
        } finally {
            scope.close();
        }

        Observation onCompletingThread =
                completeOnOtherThread(() -> producer.errorNext(new TimeoutException("no ack")));
        caller.end();

        Observation inDependent = observed.get(5, TimeUnit.SECONDS);
        assertThat(inDependent).isNotNull();
        assertThat(inDependent.current).isEqualTo(caller.getSpanContext());
        assertThat(inDependent.endedSpans).containsExactly(SPAN_NAME);
        assertThat(onCompletingThread.current).isEqualTo(onCompletingThread.unrelated);
    }

    @Test
    void aSynchronousCompletionAlsoLeavesTheCallersContextAsItWas() throws Exception {
        MockProducer<String, String> producer = autoCompleting();
        KafkaSender<String, String> sender = sender(producer);

        Span caller = telemetry.tracer().spanBuilder("caller").startSpan();
        Scope scope = caller.makeCurrent();
        try {
            Context before = Context.current();
            CompletableFuture<RecordMetadata> future = sender.send(sender.record("k1", "v1"));
            assertThat(Context.current()).isSameAs(before);
            sender.sendAndForget(sender.record("k2", "v2"));
            assertThat(Context.current()).isSameAs(before);
            sender.sendAndWait(sender.record("k3", "v3"));
            assertThat(Context.current()).isSameAs(before);
            assertThat(future.thenApply(metadata -> Span.current().getSpanContext()).get(5, TimeUnit.SECONDS))
                    .isEqualTo(caller.getSpanContext());
        } finally {
            scope.close();
            caller.end();
        }
        assertThat(Context.current()).isSameAs(Context.root());
        assertThat(telemetry.spans(SPAN_NAME)).hasSize(3)
                .allSatisfy(span -> assertThat(span).hasParentSpanId(caller.getSpanContext().getSpanId()));
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

    /**
     * Runs {@code completion} on a new thread inside an unrelated span, and reports that thread's
     * current span right after it.
     */
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
        }, "broker-callback");
        thread.start();
        thread.join(10_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(failure.get()).isNull();
        return result.get();
    }

    private KafkaSender<String, String> sender(Producer<String, String> producer) {
        TracewireOptions options = telemetry.options().build();
        return new KafkaPublisher<>(producer, options).sender(TOPIC);
    }

    private static MockProducer<String, String> autoCompleting() {
        return new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
    }

    private static MockProducer<String, String> pending() {
        return new MockProducer<>(false, null, new StringSerializer(), new StringSerializer());
    }

    /** A producer whose value serializer throws, synchronously inside {@code send}, for {@link #POISON}. */
    private static MockProducer<String, String> poisonRejecting() {
        Serializer<String> values = (topic, value) -> {
            if (POISON.equals(value)) {
                throw new SerializationException("cannot serialize " + value);
            }
            return value == null ? null : value.getBytes(UTF_8);
        };
        return new MockProducer<>(true, null, new StringSerializer(), values);
    }

    /** The only span named {@code send orders}, after checking that {@code total} spans ended in all. */
    private SpanData onlySendSpan(int total) {
        assertThat(telemetry.spans()).hasSize(total);
        List<SpanData> sends = telemetry.spans(SPAN_NAME);
        assertThat(sends).hasSize(1);
        return sends.get(0);
    }

    private static void assertFailed(SpanData span, Throwable failure) {
        assertThat(span).hasName(SPAN_NAME).hasKind(SpanKind.PRODUCER).hasEnded().hasException(failure);
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getStatus().getDescription()).isEqualTo(failure.getMessage());
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(failure.getClass().getName());
        assertThat(span.getAttributes().get(MESSAGING_KAFKA_OFFSET)).isNull();
        assertThat(span.getAttributes().get(MESSAGING_DESTINATION_PARTITION_ID)).isNull();
    }

    private static void assertFailed(SpanData span, Class<? extends Throwable> failureType) {
        assertThat(span).hasName(SPAN_NAME).hasKind(SpanKind.PRODUCER).hasEnded();
        assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(span.getAttributes().get(ERROR_TYPE)).isEqualTo(failureType.getName());
        assertThat(span.getEvents()).anySatisfy(event -> {
            assertThat(event.getName()).isEqualTo("exception");
            assertThat(event.getAttributes().asMap().values()).contains(failureType.getName());
        });
        assertThat(span.getAttributes().get(MESSAGING_KAFKA_OFFSET)).isNull();
    }
}
