package dev.tracewire.sample.kafka;

import static dev.tracewire.sample.kafka.OpsInterfaces.CAPTURED;
import static dev.tracewire.sample.kafka.OpsInterfaces.DETAILS;
import static dev.tracewire.sample.kafka.OpsInterfaces.LOGGED;
import static dev.tracewire.sample.kafka.OpsInterfaces.UNLOGGED;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.kafka.E2eInterfaces.RejectedException;
import dev.tracewire.sample.support.SharedKafka;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * What generated Kafka clients put on their spans and in the logs besides the messaging
 * attributes, on the real broker: {@code @SpanAttribute} parameters, the headers named by
 * {@code captureHeaders} (and no other), and the process span's ids in the SLF4J MDC (Logback) of
 * the poll loop's thread while a handler runs.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaSpanDetailsTest extends KafkaTestBase {

    private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order.id");
    private static final AttributeKey<String> ORDER_TENANT = AttributeKey.stringKey("order.tenant");
    private static final AttributeKey<Long> ORDER_PRIORITY = AttributeKey.longKey("order.priority");
    private static final AttributeKey<Boolean> ORDER_EXPRESS = AttributeKey.booleanKey("order.express");
    private static final AttributeKey<Double> ORDER_AMOUNT = AttributeKey.doubleKey("order.amount");
    private static final AttributeKey<String> HEADER_TENANT = AttributeKey.stringKey("messaging.header.tenant");
    private static final AttributeKey<String> HEADER_REQUEST_ID =
            AttributeKey.stringKey("messaging.header.x-request-id");
    private static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final String HANDLER_LOGGER = "dev.tracewire.sample.kafka.handler";

    @Test
    void spanAttributeParametersAreStartAttributesOfTheSendAndProcessSpans(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(DETAILS, 1);
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedOpsInterfaces_DetailedHandler((orderId, order, tenant) -> handled.add(orderId), options)
                .start(stringConsumer(kafka, "ops-details")));
        OpsInterfaces.DetailedEvents events = new TracedOpsInterfaces_DetailedEvents(stringProducer(kafka), options);

        events.placed("o-1", "{}", "acme", "s3cret", 7, true, 12.5);
        events.placed("o-2", "{}", null, null, -1, null, 0.25);
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("o-1");
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("o-2");

        List<SpanData> sends = awaitSpans(spans -> named(spans, "send " + DETAILS).size() == 2
                && named(spans, "process " + DETAILS).size() == 2).stream()
                .filter(span -> span.getName().equals("send " + DETAILS)).toList();
        assertThat(sends.get(0).getAttributes().asMap()).containsEntry(ORDER_ID, "o-1")
                .containsEntry(ORDER_TENANT, "acme").containsEntry(ORDER_PRIORITY, 7L)
                .containsEntry(ORDER_EXPRESS, true).containsEntry(ORDER_AMOUNT, 12.5);
        assertThat(sends.get(1).getAttributes().asMap()).as("null arguments record nothing")
                .containsEntry(ORDER_ID, "o-2").containsEntry(ORDER_PRIORITY, -1L).containsEntry(ORDER_AMOUNT, 0.25)
                .doesNotContainKeys(ORDER_TENANT, ORDER_EXPRESS);
        List<SpanData> processes = named(exporter.getFinishedSpanItems(), "process " + DETAILS);
        assertThat(processes.get(0).getAttributes().asMap()).as("from the record's key and header")
                .containsEntry(ORDER_ID, "o-1").containsEntry(ORDER_TENANT, "acme")
                .doesNotContainKeys(ORDER_PRIORITY, ORDER_EXPRESS, ORDER_AMOUNT);
        assertThat(processes.get(1).getAttributes().asMap()).containsEntry(ORDER_ID, "o-2")
                .doesNotContainKey(ORDER_TENANT);
        assertThat(exporter.getFinishedSpanItems()).flatExtracting(span -> span.getAttributes().asMap().keySet())
                .as("no header is captured unless named").noneMatch(key -> key.getKey().startsWith("messaging.header."));
    }

    @Test
    void onlyTheNamedHeadersAreCapturedOnSendAndProcessSpansCutAt256Characters(EmbeddedKafka kafka)
            throws Exception {
        kafka.createTopic(CAPTURED, 1);
        TracewireOptions capturing = options.toBuilder().captureHeaders("tenant", "X-Request-Id").build();
        BlockingQueue<String> handled = new LinkedBlockingQueue<>();
        closeLater(new TracedOpsInterfaces_CapturedHandler((orderId, order) -> handled.add(orderId), capturing)
                .start(stringConsumer(kafka, "ops-captured")));
        OpsInterfaces.DetailedEvents events = new TracedOpsInterfaces_DetailedEvents(stringProducer(kafka), capturing);
        String longTenant = "t".repeat(300);

        events.captured("c-1", "{}", longTenant, "s3cret");
        KafkaProducer<String, String> raw = stringProducer(kafka);
        ProducerRecord<String, String> record = new ProducerRecord<>(CAPTURED, "c-2", "{}");
        record.headers().add("tenant", "beta".getBytes(StandardCharsets.UTF_8))
                .add("X-Request-Id", "r-42".getBytes(StandardCharsets.UTF_8))
                .add("secret", "s3cret".getBytes(StandardCharsets.UTF_8));
        raw.send(record).get(30, TimeUnit.SECONDS);
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("c-1");
        assertThat(handled.poll(30, TimeUnit.SECONDS)).isEqualTo("c-2");

        List<SpanData> spans = awaitSpans(all -> named(all, "send " + CAPTURED).size() == 1
                && named(all, "process " + CAPTURED).size() == 2);
        SpanData send = named(spans, "send " + CAPTURED).get(0);
        List<SpanData> processes = named(spans, "process " + CAPTURED);
        assertThat(send.getAttributes().asMap()).containsEntry(HEADER_TENANT, "t".repeat(256))
                .doesNotContainKey(HEADER_REQUEST_ID);
        assertThat(processes.get(0).getAttributes().asMap()).containsEntry(HEADER_TENANT, "t".repeat(256));
        assertThat(processes.get(1).getAttributes().asMap()).containsEntry(HEADER_TENANT, "beta")
                .as("named X-Request-Id, recorded in lower case").containsEntry(HEADER_REQUEST_ID, "r-42");
        assertThat(spans).flatExtracting(span -> span.getAttributes().asMap().keySet())
                .filteredOn(key -> key.getKey().startsWith("messaging.header."))
                .as("never a header that was not named, never a propagation header")
                .allMatch(key -> key.equals(HEADER_TENANT) || key.equals(HEADER_REQUEST_ID));
    }

    @Test
    void handlersLogWithTheirProcessSpansIdsInTheMdcAlsoAfterAHandlerThrew(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(LOGGED, 1);
        try (LoggedEvents logged = LoggedEvents.capture()) {
            org.slf4j.Logger log = LoggerFactory.getLogger(HANDLER_LOGGER);
            TracewireOptions skipping = options.toBuilder().errorPolicy(ErrorPolicy.skip()).build();
            closeLater(new TracedOpsInterfaces_LoggedHandler((key, text) -> {
                log.info("handling {}", key);
                if (text.equals("reject")) {
                    throw new RejectedException("rejected " + key);
                }
            }, skipping).start(stringConsumer(kafka, "ops-logged")));
            KafkaProducer<String, String> raw = stringProducer(kafka);
            List<String> texts = List.of("fine", "reject", "fine");
            for (int i = 0; i < texts.size(); i++) {
                raw.send(new ProducerRecord<>(LOGGED, "l-" + i, texts.get(i))).get(30, TimeUnit.SECONDS);
            }

            List<ILoggingEvent> events = logged.await(3);
            List<SpanData> processes = awaitSpans(spans -> named(spans, "process " + LOGGED).size() == 3).stream()
                    .filter(span -> span.getName().equals("process " + LOGGED)).toList();
            for (int i = 0; i < 3; i++) {
                String key = "l-" + i;
                ILoggingEvent event = events.stream().filter(e -> e.getFormattedMessage().endsWith(key)).findFirst()
                        .orElseThrow();
                SpanData process = processes.stream().filter(span -> key.equals(span.getAttributes().get(KEY)))
                        .findFirst().orElseThrow();
                assertThat(event.getThreadName()).as("the poll loop's thread").startsWith("tracewire-");
                assertThat(event.getMDCPropertyMap()).as(key).containsOnly(
                        Map.entry("trace_id", process.getTraceId()), Map.entry("span_id", process.getSpanId()),
                        Map.entry("trace_flags", process.getSpanContext().getTraceFlags().asHex()));
            }
            assertThat(processes).extracting(SpanData::getTraceId).as("three traces, none stale").doesNotHaveDuplicates();
        }
    }

    @Test
    void logCorrelationOffLeavesTheMdcAlone(EmbeddedKafka kafka) throws Exception {
        kafka.createTopic(UNLOGGED, 1);
        try (LoggedEvents logged = LoggedEvents.capture()) {
            org.slf4j.Logger log = LoggerFactory.getLogger(HANDLER_LOGGER);
            closeLater(new TracedOpsInterfaces_UnloggedHandler((key, text) -> log.info("handling {}", key),
                    options.toBuilder().logCorrelation(false).build()).start(stringConsumer(kafka, "ops-unlogged")));
            stringProducer(kafka).send(new ProducerRecord<>(UNLOGGED, "off-1", "fine")).get(30, TimeUnit.SECONDS);

            ILoggingEvent event = logged.await(1).get(0);
            assertThat(awaitSpan("process " + UNLOGGED).getSpanContext().isValid()).as("still traced").isTrue();
            assertThat(event.getThreadName()).startsWith("tracewire-");
            assertThat(event.getMDCPropertyMap()).doesNotContainKeys("trace_id", "span_id", "trace_flags");
        }
    }

    private static List<SpanData> named(List<SpanData> spans, String name) {
        return spans.stream().filter(span -> span.getName().equals(name)).toList();
    }

    /** The events of the handlers' Logback logger, captured by a {@link ListAppender} during a test. */
    private static final class LoggedEvents implements AutoCloseable {
        private final Logger logger = (Logger) LoggerFactory.getLogger(HANDLER_LOGGER);
        private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
            @Override
            protected void append(ILoggingEvent event) {
                event.prepareForDeferredProcessing(); // takes the MDC and thread name of the logging thread
                super.append(event);
            }
        };

        static LoggedEvents capture() {
            LoggedEvents events = new LoggedEvents();
            events.appender.start();
            events.logger.addAppender(events.appender);
            events.logger.setLevel(Level.INFO);
            return events;
        }

        List<ILoggingEvent> await(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (appender.list.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(appender.list).hasSize(count);
            return List.copyOf(appender.list);
        }

        @Override
        public void close() {
            logger.detachAppender(appender);
            logger.setLevel(null);
            appender.stop();
        }
    }
}
