package dev.tracewire.sample.interop;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The propagation policies end to end on the real broker and server, each on both systems, chosen
 * on the interface ({@code NONE}) and overridden per method ({@code HEADERS_ONLY},
 * {@code PROPAGATE}):
 *
 * <ul>
 *   <li>{@code NONE}: the send span is the caller's child, and the message carries no propagation
 *       header (a NATS message no headers at all); the consumer ignores a context the message does
 *       carry, starts a new trace and counts nothing, and a responder's reply carries no context;</li>
 *   <li>{@code HEADERS_ONLY}: no send span, the message carries the caller's context; no process
 *       span, the handler runs with that context current, so its own spans continue the caller's
 *       trace; the message counts as carried by a header;</li>
 *   <li>{@code PROPAGATE}: caller, send span, process span, one trace.</li>
 * </ul>
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes and subscriptions are there to be closed
class PropagationPolicyTest {

    private static final IdGenerator IDS = IdGenerator.random();

    private final RecordingSdk recording = new RecordingSdk(W3CTraceContextPropagator.getInstance());
    private final String run = "p" + UUID.randomUUID().toString().substring(0, 8);
    /** What the handlers saw, by destination: the span current in the handler, and the one it started. */
    private final Map<String, CompletableFuture<Handled>> handled = new ConcurrentHashMap<>();

    record Handled(SpanContext current, SpanContext started) {
    }

    @AfterEach
    void closeSdk() {
        recording.close();
    }

    @Test
    void kafka(EmbeddedKafka kafka) throws Exception {
        for (String topic : List.of(PolicyInterfaces.NONE_TOPIC, PolicyInterfaces.HOT_TOPIC,
                PolicyInterfaces.TRACED_TOPIC)) {
            kafka.createTopic(topic, 1);
        }
        TracewireOptions options = recording.options().build();
        PolicyInterfaces.KafkaIn handler = new PolicyInterfaces.KafkaIn() {
            @Override
            public void onUntraced(String key, String text) {
                seen(PolicyInterfaces.NONE_TOPIC + "/" + text);
            }

            @Override
            public void onHot(String key, String text) {
                seen(PolicyInterfaces.HOT_TOPIC + "/" + text);
            }

            @Override
            public void onTraced(String key, String text) {
                seen(PolicyInterfaces.TRACED_TOPIC + "/" + text);
            }
        };
        Span caller = recording.tracer().spanBuilder("caller").startSpan();
        String carried = "00-" + IDS.generateTraceId() + "-" + IDS.generateSpanId() + "-01";
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(kafka.producerConfig(),
                        new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> peer = new KafkaConsumer<>(kafka.consumerConfig("policy-peer-" + run),
                        new StringDeserializer(), new StringDeserializer());
                Subscription subscription = new TracedPolicyInterfaces_KafkaIn(handler, options).start(
                        new KafkaConsumer<>(kafka.consumerConfig("policy-" + run), new StringDeserializer(),
                                new StringDeserializer()))) {
            peer.subscribe(List.of(PolicyInterfaces.NONE_TOPIC, PolicyInterfaces.HOT_TOPIC,
                    PolicyInterfaces.TRACED_TOPIC));
            PolicyInterfaces.KafkaOut out = new TracedPolicyInterfaces_KafkaOut(producer, options);
            try (Scope ignored = caller.makeCurrent()) {
                out.untraced(run, run);
                out.hot(run, run);
                out.traced(run, run);
            } finally {
                caller.end();
            }
            ProducerRecord<String, String> withContext = new ProducerRecord<>(PolicyInterfaces.NONE_TOPIC, run,
                    run + "-carrying");
            withContext.headers().add("traceparent", carried.getBytes(UTF_8));
            producer.send(withContext).get(30, TimeUnit.SECONDS);

            Map<String, ConsumerRecord<String, String>> onTheWire = records(peer, 4);
            assertThat(names(onTheWire.get(PolicyInterfaces.NONE_TOPIC + "/" + run)))
                    .as("NONE: no propagation header").isEmpty();
            assertThat(header(onTheWire.get(PolicyInterfaces.HOT_TOPIC + "/" + run), "traceparent"))
                    .as("HEADERS_ONLY: the caller's context").isEqualTo(traceparent(caller.getSpanContext()));
            SpanData tracedSend = recording.awaitSpan("send " + PolicyInterfaces.TRACED_TOPIC,
                    span -> span.getName().equals("send " + PolicyInterfaces.TRACED_TOPIC));
            assertThat(header(onTheWire.get(PolicyInterfaces.TRACED_TOPIC + "/" + run), "traceparent"))
                    .isEqualTo(traceparent(tracedSend.getSpanContext()));

            assertPolicies(caller, tracedSend, PolicyInterfaces.NONE_TOPIC, PolicyInterfaces.HOT_TOPIC,
                    PolicyInterfaces.TRACED_TOPIC, "send ");
            SpanData ignoredContext = processSpan(PolicyInterfaces.NONE_TOPIC + "/" + run + "-carrying");
            assertThat(ignoredContext.getParentSpanContext().isValid())
                    .as("NONE: a context the record carries is not read").isFalse();
            assertThat(ignoredContext.getTraceId()).isNotEqualTo(carried.substring(3, 35));
            assertThat(recording.counted(PolicyInterfaces.NONE_TOPIC)).as("NONE: not counted").isZero();
            assertThat(recording.counted(PolicyInterfaces.HOT_TOPIC, "header")).isEqualTo(1);
            assertThat(recording.counted(PolicyInterfaces.TRACED_TOPIC, "header")).isEqualTo(1);
        }
    }

    @Test
    void nats(NatsServerProcess nats) throws Exception {
        TracewireOptions options = recording.options().build();
        PolicyInterfaces.NatsIn handler = new PolicyInterfaces.NatsIn() {
            @Override
            public void onUntraced(String text) {
                seen(PolicyInterfaces.NONE_SUBJECT + "/" + text);
            }

            @Override
            public void onHot(String text) {
                seen(PolicyInterfaces.HOT_SUBJECT + "/" + text);
            }

            @Override
            public void onTraced(String text) {
                seen(PolicyInterfaces.TRACED_SUBJECT + "/" + text);
            }

            @Override
            public String answer(String question) {
                seen(PolicyInterfaces.ASK_SUBJECT + "/" + question);
                return "re: " + question;
            }
        };
        Span caller = recording.tracer().spanBuilder("caller").startSpan();
        String carried = "00-" + IDS.generateTraceId() + "-" + IDS.generateSpanId() + "-01";
        Connection connection = Nats.connect(nats.url());
        try (Subscription subscription = new TracedPolicyInterfaces_NatsIn(handler, options).start(connection)) {
            io.nats.client.Subscription peer = connection.subscribe("interop.policy.*");
            connection.flush(Duration.ofSeconds(5));
            PolicyInterfaces.NatsOut out = new TracedPolicyInterfaces_NatsOut(connection, options);
            try (Scope ignored = caller.makeCurrent()) {
                out.untraced(run);
                out.hot(run);
                out.traced(run);
            } finally {
                caller.end();
            }
            connection.publish(PolicyInterfaces.NONE_SUBJECT, new Headers().put("traceparent", carried),
                    (run + "-carrying").getBytes(UTF_8));
            Message reply = connection.request(PolicyInterfaces.ASK_SUBJECT, new Headers().put("traceparent", carried),
                    run.getBytes(UTF_8), Duration.ofSeconds(10));

            Map<String, Message> onTheWire = messages(peer, 5);
            assertThat(onTheWire.get(PolicyInterfaces.NONE_SUBJECT + "/" + run).getHeaders())
                    .as("NONE: no headers at all").isNull();
            assertThat(onTheWire.get(PolicyInterfaces.HOT_SUBJECT + "/" + run).getHeaders().get("traceparent"))
                    .as("HEADERS_ONLY: the caller's context").containsExactly(traceparent(caller.getSpanContext()));
            SpanData tracedSend = recording.awaitSpan("publish " + PolicyInterfaces.TRACED_SUBJECT,
                    span -> span.getName().equals("publish " + PolicyInterfaces.TRACED_SUBJECT));
            assertThat(onTheWire.get(PolicyInterfaces.TRACED_SUBJECT + "/" + run).getHeaders().get("traceparent"))
                    .containsExactly(traceparent(tracedSend.getSpanContext()));

            assertPolicies(caller, tracedSend, PolicyInterfaces.NONE_SUBJECT, PolicyInterfaces.HOT_SUBJECT,
                    PolicyInterfaces.TRACED_SUBJECT, "publish ");
            assertThat(processSpan(PolicyInterfaces.NONE_SUBJECT + "/" + run + "-carrying").getParentSpanContext()
                    .isValid()).as("NONE: a context the message carries is not read").isFalse();
            SpanData answered = processSpan(PolicyInterfaces.ASK_SUBJECT + "/" + run);
            assertThat(answered.getParentSpanContext().isValid()).isFalse();
            assertThat(new String(reply.getData(), UTF_8)).isEqualTo("re: " + run);
            assertThat(reply.getHeaders()).as("NONE: the reply carries no context").isNull();
            assertThat(recording.counted(PolicyInterfaces.NONE_SUBJECT)).as("NONE: not counted").isZero();
            assertThat(recording.counted(PolicyInterfaces.ASK_SUBJECT)).isZero();
            assertThat(recording.counted(PolicyInterfaces.HOT_SUBJECT, "header")).isEqualTo(1);
            assertThat(recording.counted(PolicyInterfaces.TRACED_SUBJECT, "header")).isEqualTo(1);
        } finally {
            connection.close();
        }
    }

    /**
     * NONE: a send span under the caller and a process span in a new trace; HEADERS_ONLY: neither,
     * and the handler's work continues the caller's trace; PROPAGATE: caller, send, process.
     */
    private void assertPolicies(Span caller, SpanData tracedSend, String none, String hot, String traced,
            String sendVerb) throws InterruptedException {
        String callerSpan = caller.getSpanContext().getSpanId();
        SpanData noneSend = recording.awaitSpan(sendVerb + none, span -> span.getName().equals(sendVerb + none));
        assertThat(noneSend.getParentSpanId()).as("NONE: the send span is the caller's child").isEqualTo(callerSpan);
        SpanData noneProcess = processSpan(none + "/" + run);
        assertThat(noneProcess.getParentSpanContext().isValid()).as("NONE: a new trace").isFalse();
        assertThat(noneProcess.getTraceId()).isNotEqualTo(caller.getSpanContext().getTraceId());

        Handled hotHandled = await(hot + "/" + run);
        assertThat(hotHandled.current().getTraceId() + "/" + hotHandled.current().getSpanId())
                .as("HEADERS_ONLY: the caller's context is current in the handler")
                .isEqualTo(caller.getSpanContext().getTraceId() + "/" + callerSpan);
        SpanData work = recording.awaitSpan("the hot handler's work",
                span -> span.getSpanId().equals(hotHandled.started().getSpanId()));
        assertThat(work.getParentSpanId()).as("HEADERS_ONLY: the handler's work continues the caller's trace")
                .isEqualTo(callerSpan);
        assertThat(recording.spans()).extracting(SpanData::getName).as("HEADERS_ONLY: no send or process span")
                .doesNotContain(sendVerb + hot, "process " + hot);

        assertThat(tracedSend.getParentSpanId()).isEqualTo(callerSpan);
        assertThat(processSpan(traced + "/" + run).getParentSpanId()).isEqualTo(tracedSend.getSpanId());
    }

    /** Records what the handler of {@code id} saw, starting a span of the handler's own work. */
    private void seen(String id) {
        Span work = recording.tracer().spanBuilder("work").startSpan();
        work.end();
        handled.computeIfAbsent(id, k -> new CompletableFuture<>())
                .complete(new Handled(Span.current().getSpanContext(), work.getSpanContext()));
    }

    private Handled await(String id) {
        try {
            return handled.computeIfAbsent(id, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(id + " was not handled within 30 s", e);
        }
    }

    /** The process span the handler of {@code id} ran in. */
    private SpanData processSpan(String id) throws InterruptedException {
        SpanContext current = await(id).current();
        return recording.awaitSpan("the process span of " + id, span -> span.getSpanId().equals(current.getSpanId()));
    }

    private Map<String, ConsumerRecord<String, String>> records(KafkaConsumer<String, String> peer, int count) {
        Map<String, ConsumerRecord<String, String>> found = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : peer.poll(Duration.ofMillis(100))) {
                if (record.value().startsWith(run)) {
                    found.put(record.topic() + "/" + record.value(), record);
                }
            }
        }
        assertThat(found).as("records within 30 s").hasSize(count);
        return found;
    }

    private Map<String, Message> messages(io.nats.client.Subscription peer, int count) throws InterruptedException {
        Map<String, Message> found = new ConcurrentHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (found.size() < count && System.nanoTime() < deadline) {
            Message message = peer.nextMessage(Duration.ofMillis(100));
            if (message != null && new String(message.getData(), UTF_8).startsWith(run)) {
                found.put(message.getSubject() + "/" + new String(message.getData(), UTF_8), message);
            }
        }
        assertThat(found).as("messages within 30 s").hasSize(count);
        return found;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        return new String(record.headers().lastHeader(name).value(), UTF_8);
    }

    private static List<String> names(ConsumerRecord<String, String> record) {
        List<String> names = new ArrayList<>();
        record.headers().forEach(header -> names.add(header.key()));
        return names;
    }

    private static String traceparent(SpanContext span) {
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
    }
}
