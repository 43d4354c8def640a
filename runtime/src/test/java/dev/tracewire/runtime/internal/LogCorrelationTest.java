package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.internal.KafkaDispatcher;
import dev.tracewire.runtime.nats.internal.NatsDispatcher;
import dev.tracewire.runtime.testing.FakeConnection;
import dev.tracewire.runtime.testing.FakeMessage;
import dev.tracewire.runtime.testing.TestTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Handlers run with their process span's {@code trace_id}, {@code span_id} and
 * {@code trace_flags} in the SLF4J MDC (a real binding: Logback, whose events are captured by a
 * {@link ListAppender} on the handler's logger), and the thread's MDC is what it was before
 * afterwards, also when the handler throws.
 */
class LogCorrelationTest {

    private static final String TOPIC = "orders";
    private static final String SUBJECT = "orders.placed";
    private static final List<String> KEYS = List.of("trace_id", "span_id", "trace_flags");

    @RegisterExtension
    final TestTelemetry telemetry = new TestTelemetry();

    private final org.slf4j.Logger handlerLog = LoggerFactory.getLogger("com.example.OrderHandler");
    private final Logger logger = (Logger) LoggerFactory.getLogger("com.example.OrderHandler");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // the MDC of the logging thread, now
            super.append(event);
        }
    };

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        MDC.clear();
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(null);
        logger.setAdditive(true);
        appender.stop();
        MDC.clear();
    }

    @Test
    void aKafkaHandlerLogsWithItsSpansIdsAndTheCallersMdcIsBackAfterwards() throws Exception {
        MDC.put("trace_id", "the caller's");
        MDC.put("request", "r-1");
        Map<String, String> before = mdc();

        kafka(telemetry.options().build()).handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "fine"));

        SpanData process = telemetry.spans("process " + TOPIC).get(0);
        assertThat(onlyEvent().getMDCPropertyMap()).containsEntry("trace_id", process.getTraceId())
                .containsEntry("span_id", process.getSpanId())
                .containsEntry("trace_flags", process.getSpanContext().getTraceFlags().asHex())
                .as("the caller's own entries stay visible").containsEntry("request", "r-1");
        assertThat(mdc()).isEqualTo(before);
    }

    @Test
    void theMdcIsRestoredWhenTheHandlerThrows() {
        MDC.put("span_id", "the caller's");
        Map<String, String> before = mdc();
        KafkaDispatcher<String, String> dispatcher = kafka(telemetry.options().build());

        assertThatThrownBy(() -> dispatcher.handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "throw")))
                .isInstanceOf(IllegalStateException.class);

        assertThat(onlyEvent().getMDCPropertyMap()).containsEntry("span_id",
                telemetry.spans("process " + TOPIC).get(0).getSpanId());
        assertThat(mdc()).isEqualTo(before);
    }

    @Test
    void withoutAnEntryBeforeNoneIsLeftAfter() throws Exception {
        kafka(telemetry.options().build()).handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "fine"));

        assertThat(onlyEvent().getMDCPropertyMap()).containsKeys(KEYS.toArray(String[]::new));
        assertThat(mdc()).isEmpty();
    }

    @Test
    void logCorrelationOffLeavesTheMdcAsItIs() throws Exception {
        MDC.put("trace_id", "the caller's");

        kafka(telemetry.options().logCorrelation(false).build())
                .handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "fine"));

        assertThat(telemetry.spans("process " + TOPIC)).as("still traced").hasSize(1);
        assertThat(onlyEvent().getMDCPropertyMap()).containsEntry("trace_id", "the caller's")
                .doesNotContainKeys("span_id", "trace_flags");
    }

    @Test
    void nothingIsPutInTheMdcWithoutTracing() throws Exception {
        kafka(TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build())
                .handle(new ConsumerRecord<>(TOPIC, 0, 0L, "k1", "fine"));

        assertThat(onlyEvent().getMDCPropertyMap()).doesNotContainKeys(KEYS.toArray(String[]::new));
    }

    @Test
    void aNatsHandlerLogsWithItsSpansIdsAndTheMdcIsRestoredAlsoWhenItThrows() throws Exception {
        MDC.put("trace_id", "the caller's");
        Map<String, String> before = mdc();
        FakeConnection connection = FakeConnection.connectedTo("nats://nats.example:4222");
        NatsDispatcher dispatcher = NatsDispatcher.builder("com.example.OrderHandler", "", telemetry.options().build())
                .route(SUBJECT, String.class, (text, message) -> {
                    handlerLog.info("handling {}", text);
                    if (text.equals("throw")) {
                        throw new IllegalStateException("cannot");
                    }
                })
                .build();

        dispatcher.handle(FakeMessage.core(connection, SUBJECT, null, "fine".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> dispatcher.handle(FakeMessage.core(connection, SUBJECT, null,
                "throw".getBytes(StandardCharsets.UTF_8)))).isInstanceOf(IllegalStateException.class);

        List<SpanData> processes = telemetry.spans("process " + SUBJECT);
        assertThat(appender.list).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(appender.list.get(i).getMDCPropertyMap())
                    .containsEntry("trace_id", processes.get(i).getTraceId())
                    .containsEntry("span_id", processes.get(i).getSpanId());
        }
        assertThat(mdc()).isEqualTo(before);
    }

    private KafkaDispatcher<String, String> kafka(TracewireOptions options) {
        return KafkaDispatcher.<String, String>builder("com.example.OrderHandler", "", options)
                .route(TOPIC, record -> {
                    handlerLog.info("handling {}", record.key());
                    if (record.value().equals("throw")) {
                        throw new IllegalStateException("cannot");
                    }
                })
                .build();
    }

    private ILoggingEvent onlyEvent() {
        assertThat(appender.list).hasSize(1);
        return appender.list.get(0);
    }

    /** A copy of what the MDC holds, empty for none (Logback gives {@code null} then). */
    private static Map<String, String> mdc() {
        Map<String, String> copy = MDC.getCopyOfContextMap();
        return copy == null ? Map.of() : new HashMap<>(copy);
    }
}
