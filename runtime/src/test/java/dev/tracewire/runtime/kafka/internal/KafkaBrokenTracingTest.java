package dev.tracewire.runtime.kafka.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.testing.BrokenTelemetry;
import dev.tracewire.runtime.testing.BrokenTelemetry.Fault;
import dev.tracewire.runtime.testing.LogCapture;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tracing never costs a message: with a propagator that throws on inject or extract, a sampler
 * that throws, or a span processor that throws when a span ends, every send of every return kind
 * still goes out and completes as promised, every record is still handled once, every span that
 * started is ended, the caller's context is left as it was, and the failure is logged once per
 * client, not per message.
 */
class KafkaBrokenTracingTest {

    private static final String TOPIC = "orders";
    private static final int MESSAGES = 3;
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everySendOfEveryReturnKindGoesOut(Fault fault) throws Exception {
        MockProducer<String, String> producer =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        try (BrokenTelemetry broken = new BrokenTelemetry(fault);
                LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.Instruments", Level.ALL)) {
            KafkaSender<String, String> sender = new KafkaPublisher<>(producer, options(broken)).sender(TOPIC);
            List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                futures.add(sender.send(sender.record("k" + i, "future")));
                sender.sendAndForget(sender.record("k" + i, "forget"));
                assertThat(sender.sendAndWait(sender.record("k" + i, "wait")).topic()).isEqualTo(TOPIC);
                assertThat(Context.current()).isSameAs(Context.root());
            }

            for (CompletableFuture<RecordMetadata> future : futures) {
                assertThat(future.get(5, TimeUnit.SECONDS).topic()).isEqualTo(TOPIC);
            }
            assertThat(producer.history()).hasSize(3 * MESSAGES);
            assertThat(broken.ended()).as("every started span ended").isEqualTo(broken.started());
            assertLoggedOnceIfItFailed(broken, log);
            if (fault == Fault.INJECT || fault == Fault.SAMPLER) {
                assertThat(producer.history()).allSatisfy(record ->
                        assertThat(record.headers().lastHeader("traceparent")).as("no context to carry").isNull());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyRecordIsHandledOnce(Fault fault) throws Exception {
        List<SpanContext> seen = new ArrayList<>();
        try (BrokenTelemetry broken = new BrokenTelemetry(fault);
                LogCapture log = LogCapture.of("dev.tracewire.runtime.internal.Instruments", Level.ALL)) {
            KafkaDispatcher<String, String> dispatcher =
                    KafkaDispatcher.<String, String>builder("Handler", "", options(broken))
                            .route(TOPIC, record -> seen.add(Span.current().getSpanContext()))
                            .build();
            for (int i = 0; i < MESSAGES; i++) {
                ConsumerRecord<String, String> record = new ConsumerRecord<>(TOPIC, 0, i, "k", "v");
                record.headers().add("traceparent", TRACEPARENT.getBytes(UTF_8));
                dispatcher.handle(record, RuntimeException.class);
                assertThat(Context.current()).isSameAs(Context.root());
            }

            assertThat(seen).hasSize(MESSAGES);
            assertThat(broken.ended()).as("every started span ended").isEqualTo(broken.started());
            assertLoggedOnceIfItFailed(broken, log);
            if (fault == Fault.EXTRACT) {
                assertThat(seen).as("processed in new traces").allSatisfy(span ->
                        assertThat(span.getTraceId()).isNotEqualTo("0af7651916cd43dd8448eb211c80319c"));
            }
        }
    }

    private static TracewireOptions options(BrokenTelemetry broken) {
        return TracewireOptions.builder().openTelemetry(broken.openTelemetry()).build();
    }

    private static void assertLoggedOnceIfItFailed(BrokenTelemetry broken, LogCapture log) {
        if (broken.thrown() == 0) {
            assertThat(log.records()).isEmpty();
            return;
        }
        assertThat(broken.thrown()).as("the component failed for each message").isGreaterThanOrEqualTo(MESSAGES);
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getThrown()).hasMessageStartingWith("broken ");
        });
    }
}
