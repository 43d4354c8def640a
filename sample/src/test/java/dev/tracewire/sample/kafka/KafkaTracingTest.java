package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.E2eInterfaces.CHAIN_IN;
import static dev.tracewire.sample.kafka.E2eInterfaces.CHAIN_OUT;
import static dev.tracewire.sample.kafka.E2eInterfaces.FLAKY;
import static dev.tracewire.sample.kafka.E2eInterfaces.OWN_LOOP;
import static dev.tracewire.sample.kafka.E2eInterfaces.PING;
import static dev.tracewire.sample.kafka.E2eInterfaces.RAW;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tracing contract of DESIGN.md §3 for Kafka, proved with generated clients on a real
 * (in-process KRaft) broker.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaTracingTest extends KafkaTestBase {

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION_TYPE = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("messaging.operation.name");
    private static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final AttributeKey<String> PARTITION =
            AttributeKey.stringKey("messaging.destination.partition.id");
    private static final AttributeKey<Long> OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    private static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");
    private static final AttributeKey<String> CLIENT_ID = AttributeKey.stringKey("messaging.client.id");
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

    /** What a handler saw: the record's parts and the span it ran in. */
    record Received(String key, String text, String tenant, byte[] blob, SpanContext span) {
    }

    @Test
    void aPublishedRecordIsProcessedInTheSameTraceAsAChildOfTheProducerSpan(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(PING, 1);
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        closeLater(new TracedE2eInterfaces_PingHandler(
                (key, text, tenant, blob) -> received.add(
                        new Received(key, text, tenant, blob, Span.current().getSpanContext())),
                options).start(stringConsumer(kafka, "e2e-ping")));
        E2eInterfaces.PingEvents events = new TracedE2eInterfaces_PingEvents(stringProducer(kafka), options);
        byte[] blob = {0, 1, 2, (byte) 0xff};

        Span caller = tracer().spanBuilder("caller").startSpan();
        RecordMetadata metadata;
        Scope scope = caller.makeCurrent();
        try {
            Context before = Context.current();
            metadata = events.ping("k-1", "hello", "acme", blob).get(30, TimeUnit.SECONDS);
            assertThat(Context.current()).isSameAs(before);
        } finally {
            scope.close();
            caller.end();
        }

        Received got = received.poll(30, TimeUnit.SECONDS);
        assertThat(got).as("the handler was called").isNotNull();
        assertThat(got.key()).isEqualTo("k-1");
        assertThat(got.text()).isEqualTo("hello");
        assertThat(got.tenant()).isEqualTo("acme");
        assertThat(got.blob()).containsExactly(blob);

        SpanData send = awaitSpan("send " + PING);
        SpanData process = awaitSpan("process " + PING);
        assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(send.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(send.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
        assertThat(send.getAttributes().asMap()).containsEntry(SYSTEM, "kafka").containsEntry(DESTINATION, PING)
                .containsEntry(OPERATION_TYPE, "send").containsEntry(OPERATION_NAME, "send").containsEntry(KEY, "k-1")
                .containsEntry(PARTITION, "0").containsEntry(OFFSET, metadata.offset()).containsKey(CLIENT_ID);
        String[] broker = kafka.bootstrapServers().split(",")[0].split(":");
        assertThat(List.of(send, process)).as("the first bootstrap server").allSatisfy(span ->
                assertThat(span.getAttributes().asMap()).containsEntry(SERVER_ADDRESS, broker[0])
                        .containsEntry(SERVER_PORT, Long.parseLong(broker[1])));
        assertThat(send.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);

        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
        assertThat(process.getAttributes().asMap()).containsEntry(SYSTEM, "kafka").containsEntry(DESTINATION, PING)
                .containsEntry(OPERATION_TYPE, "process").containsEntry(OPERATION_NAME, "process")
                .containsEntry(GROUP, "e2e-ping").containsEntry(KEY, "k-1").containsEntry(PARTITION, "0")
                .containsEntry(OFFSET, metadata.offset()).containsKey(CLIENT_ID);
        assertThat(got.span().getSpanId()).as("Span.current() in the handler").isEqualTo(process.getSpanId());
    }

    @Test
    void aHandlerThatPublishesContinuesTheTraceAcrossTwoHops(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(CHAIN_IN, 1);
        kafka.createTopic(CHAIN_OUT, 1);
        E2eInterfaces.ChainForward forward = new TracedE2eInterfaces_ChainForward(stringProducer(kafka), options);
        BlockingQueue<String> sunk = new LinkedBlockingQueue<>();
        closeLater(new TracedE2eInterfaces_ChainRelay((key, text) -> forward.forward(key, text + " relayed"), options)
                .start(stringConsumer(kafka, "e2e-chain-relay")));
        closeLater(new TracedE2eInterfaces_ChainSink((key, text) -> sunk.add(text), options)
                .start(stringConsumer(kafka, "e2e-chain-sink")));

        Context before = Context.current();
        new TracedE2eInterfaces_ChainStart(stringProducer(kafka), options).start("c-1", "hop");
        assertThat(Context.current()).isSameAs(before);

        assertThat(sunk.poll(30, TimeUnit.SECONDS)).isEqualTo("hop relayed");
        SpanData sendIn = awaitSpan("send " + CHAIN_IN);
        SpanData processIn = awaitSpan("process " + CHAIN_IN);
        SpanData sendOut = awaitSpan("send " + CHAIN_OUT);
        SpanData processOut = awaitSpan("process " + CHAIN_OUT);
        assertThat(List.of(processIn, sendOut, processOut)).extracting(SpanData::getTraceId)
                .containsOnly(sendIn.getTraceId());
        assertThat(sendIn.getParentSpanContext().isValid()).as("the first send starts the trace").isFalse();
        assertThat(processIn.getParentSpanId()).isEqualTo(sendIn.getSpanId());
        assertThat(sendOut.getParentSpanId()).isEqualTo(processIn.getSpanId());
        assertThat(processOut.getParentSpanId()).isEqualTo(sendOut.getSpanId());
        assertThat(List.of(sendIn, sendOut)).extracting(SpanData::getKind).containsOnly(SpanKind.PRODUCER);
        assertThat(List.of(processIn, processOut)).extracting(SpanData::getKind).containsOnly(SpanKind.CONSUMER);
    }

    @Test
    void aFailedRecordIsRecordedAndStaysUncommittedWhileOtherPartitionsFlow(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(FLAKY, 2);
        KafkaProducer<String, String> raw = stringProducer(kafka);
        raw.send(new ProducerRecord<>(FLAKY, 0, "poison", "bad")).get(30, TimeUnit.SECONDS);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        TracewireOptions retrying = options.toBuilder()
                .errorPolicy(ErrorPolicy.retryForever(Duration.ofMillis(50), Duration.ofMillis(200)))
                .build();
        Subscription first = new TracedE2eInterfaces_FlakyHandler((key, text) -> {
            if (key.equals("poison")) {
                throw new RejectedException("cannot take " + text);
            }
            handled.add(key);
        }, retrying).start(stringConsumer(kafka, "e2e-flaky"));
        try {
            for (int i = 1; i <= 3; i++) {
                raw.send(new ProducerRecord<>(FLAKY, 1, "good-" + i, "fine")).get(30, TimeUnit.SECONDS);
            }
            for (int i = 1; i <= 3; i++) {
                assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("good-" + i);
            }
            List<SpanData> failures = awaitSpans(spans -> spans.stream().filter(KafkaTracingTest::isError).count() >= 2)
                    .stream().filter(KafkaTracingTest::isError).toList();
            SpanData failure = failures.get(0);
            assertThat(failure.getName()).isEqualTo("process " + FLAKY);
            assertThat(failure.getAttributes().asMap()).containsEntry(KEY, "poison").containsEntry(PARTITION, "0")
                    .containsEntry(OFFSET, 0L).containsEntry(ERROR_TYPE, RejectedException.class.getName());
            assertThat(failure.getStatus().getDescription()).isEqualTo("cannot take bad");
            assertThat(failure.getEvents()).anySatisfy(event -> assertThat(event.getName()).isEqualTo("exception"));
            assertThat(failures).extracting(f -> f.getAttributes().get(OFFSET)).containsOnly(0L);
        } finally {
            first.close();
        }
        assertThat(first.isRunning()).isFalse();

        Map<TopicPartition, OffsetAndMetadata> committed = closeLater(kafka.admin()).listConsumerGroupOffsets("e2e-flaky")
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertThat(committed.get(new TopicPartition(FLAKY, 1)).offset()).isEqualTo(3L);
        OffsetAndMetadata poisonPartition = committed.get(new TopicPartition(FLAKY, 0));
        assertThat(poisonPartition == null ? 0L : poisonPartition.offset()).isEqualTo(0L);

        BlockingQueue<String> secondTime = new LinkedBlockingQueue<>();
        closeLater(new TracedE2eInterfaces_FlakyHandler((key, text) -> secondTime.add(key), retrying)
                .start(stringConsumer(kafka, "e2e-flaky")));
        assertThat(secondTime.poll(30, TimeUnit.SECONDS)).as("a new member of the group gets the record again")
                .isEqualTo("poison");
    }

    @Test
    void recordsWithoutOrWithBrokenContextAreProcessedInNewTraces(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(RAW, 1);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedE2eInterfaces_RawHandler((key, text) -> handled.add(key), options)
                .start(stringConsumer(kafka, "e2e-raw")));
        KafkaProducer<String, String> raw = stringProducer(kafka);
        raw.send(new ProducerRecord<>(RAW, "no-context", "a")).get(30, TimeUnit.SECONDS);
        ProducerRecord<String, String> garbage = new ProducerRecord<>(RAW, "garbage", "b");
        garbage.headers().add("traceparent", "00-not-a-trace-01".getBytes(StandardCharsets.UTF_8));
        raw.send(garbage).get(30, TimeUnit.SECONDS);
        ProducerRecord<String, String> empty = new ProducerRecord<>(RAW, "null-header", "c");
        empty.headers().add("traceparent", null);
        raw.send(empty).get(30, TimeUnit.SECONDS);

        for (String key : List.of("no-context", "garbage", "null-header")) {
            assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo(key);
        }
        List<SpanData> processed = awaitSpans(spans -> spans.size() >= 3);
        assertThat(processed).hasSize(3).allSatisfy(span -> {
            assertThat(span.getName()).isEqualTo("process " + RAW);
            assertThat(span.getParentSpanContext().isValid()).isFalse();
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        });
        assertThat(processed).extracting(SpanData::getTraceId).doesNotHaveDuplicates();
    }

    @Test
    void aRecordFromTheUsersOwnLoopIsHandledInItsTraceAndLeavesTheLoopsContextAlone(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(OWN_LOOP, 1);
        E2eInterfaces.PingEvents events = new TracedE2eInterfaces_PingEvents(stringProducer(kafka), options);
        events.toOwnLoop("own-1", "polled by the user");
        SpanData send = awaitSpan("send " + OWN_LOOP);
        BlockingQueue<SpanContext> seen = new LinkedBlockingQueue<>();
        TracedE2eInterfaces_OwnLoopHandler dispatcher = new TracedE2eInterfaces_OwnLoopHandler(
                (key, text) -> seen.add(Span.current().getSpanContext()), options);

        KafkaConsumer<String, String> consumer = stringConsumer(kafka, "e2e-own-loop");
        consumer.subscribe(List.of(OWN_LOOP));
        Span loop = tracer().spanBuilder("user loop").startSpan();
        Scope scope = loop.makeCurrent();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> record : records) {
                    Context before = Context.current();
                    dispatcher.handle(record);
                    assertThat(Context.current()).isSameAs(before);
                }
            }
        } finally {
            scope.close();
            loop.end();
            consumer.close();
        }

        SpanContext handlerSpan = seen.poll();
        assertThat(handlerSpan).as("the handler ran").isNotNull();
        SpanData process = awaitSpan("process " + OWN_LOOP);
        assertThat(handlerSpan.getSpanId()).isEqualTo(process.getSpanId());
        assertThat(process.getParentSpanId()).as("the record's context, not the loop's").isEqualTo(send.getSpanId());
        assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
    }

    private static boolean isError(SpanData span) {
        return span.getStatus().getStatusCode() == StatusCode.ERROR;
    }

    private Tracer tracer() {
        return sdk.getTracer("tests");
    }
}
