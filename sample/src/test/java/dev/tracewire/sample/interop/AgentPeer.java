package dev.tracewire.sample.interop;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.KafkaDeadLetters;
import dev.tracewire.runtime.kafka.KafkaOptions;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The program {@link AgentInteropTest} runs in a child JVM beside OpenTelemetry's Java agent: a
 * service as a user writes it, with generated clients on default options (so the agent's global
 * {@code OpenTelemetry}). For each system it sends {@link #MESSAGES} messages and one more that
 * its handler rejects ({@link #failingId}: Kafka dead-letters it to {@code <topic>.DLT}, core NATS
 * drops it), each from inside a span of its own (the caller), and waits until its consumer handled
 * them. What the test cannot see
 * in the exported spans it prints as lines {@code PEER <what> <system> <message> ...}: the span
 * current in the handler, and whether a returned future's dependents ran in the caller's context.
 *
 * <p>Arguments: the run's id, Kafka's bootstrap servers, the NATS server's URL.
 */
public final class AgentPeer {

    static final int MESSAGES = 2;
    static final String CALLER_SPAN = "caller";

    private AgentPeer() {
    }

    public static void main(String[] args) throws Exception {
        String run = args[0];
        Tracer tracer = GlobalOpenTelemetry.getTracer("dev.tracewire.sample.interop.AgentPeer");
        kafka(run, args[1], tracer);
        nats(run, args[2], tracer);
        jetStream(run, args[2], tracer);
        System.out.println("PEER done");
    }

    @SuppressWarnings("try") // scopes and the subscription are there to be closed
    private static void kafka(String run, String bootstrapServers, Tracer tracer) throws Exception {
        CountDownLatch handled = new CountDownLatch(MESSAGES + 1);
        AgentInterfaces.KafkaGreetingHandler handler = (key, text) -> {
            if (key.startsWith(run)) {
                printCurrent("handler", "kafka", key);
                handled.countDown();
                if (key.equals(failingId(run, "kafka"))) {
                    throw new IllegalStateException("rejected by the peer");
                }
            }
        };
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrapServers),
                new StringSerializer(), new StringSerializer());
                KafkaProducer<byte[], byte[]> deadLetterProducer = new KafkaProducer<>(
                        producerConfig(bootstrapServers), new ByteArraySerializer(), new ByteArraySerializer());
                Subscription subscription = new TracedAgentInterfaces_KafkaGreetingHandler(handler,
                        TracewireOptions.builder()
                                .errorPolicy(ErrorPolicy.deadLetter())
                                .with(KafkaOptions.builder().deadLetters(KafkaDeadLetters.to(deadLetterProducer)
                                        .serializers(new StringSerializer(), new StringSerializer())).build())
                                .build())
                        .start(new KafkaConsumer<>(consumerConfig(bootstrapServers, "interop-agent-" + run),
                                new StringDeserializer(), new StringDeserializer()))) {
            AgentInterfaces.KafkaGreetings greetings = new TracedAgentInterfaces_KafkaGreetings(producer);
            for (String key : messageIds(run, "kafka")) {
                Span caller = tracer.spanBuilder(CALLER_SPAN).setAttribute("message", key).startSpan();
                try (Scope ignored = caller.makeCurrent()) {
                    greetings.greet(key, "hello")
                            .thenRun(() -> System.out.println("PEER future kafka " + key + " "
                                    + Span.current().getSpanContext().equals(caller.getSpanContext())))
                            .get(30, TimeUnit.SECONDS);
                } finally {
                    caller.end();
                }
            }
            await(handled, "kafka");
        }
        ownLoop(run, bootstrapServers, tracer);
    }

    /** A poll loop of the peer's own that hands each record to the generated {@code handle(record)}. */
    @SuppressWarnings("try") // the scope is there to be closed
    private static void ownLoop(String run, String bootstrapServers, Tracer tracer) throws Exception {
        String key = messageId(run, "kafka-own-loop", 0);
        boolean[] handled = new boolean[1];
        TracedAgentInterfaces_OwnLoopHandler dispatcher = new TracedAgentInterfaces_OwnLoopHandler((k, text) -> {
            if (k.equals(key)) {
                printCurrent("handler", "kafka-own-loop", k);
                handled[0] = true;
            }
        });
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrapServers),
                new StringSerializer(), new StringSerializer());
                KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers,
                        "interop-agent-own-" + run), new StringDeserializer(), new StringDeserializer())) {
            Span caller = tracer.spanBuilder(CALLER_SPAN).setAttribute("message", key).startSpan();
            try (Scope ignored = caller.makeCurrent()) {
                new TracedAgentInterfaces_KafkaGreetings(producer).greetOwnLoop(key, "hello").get(30, TimeUnit.SECONDS);
            } finally {
                caller.end();
            }
            consumer.subscribe(List.of(AgentInterfaces.OWN_LOOP_TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!handled[0] && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    dispatcher.handle(record);
                }
            }
            if (!handled[0]) {
                throw new IllegalStateException("the own loop did not handle " + key + " in 30 s");
            }
        }
    }

    @SuppressWarnings("try") // scopes and the subscription are there to be closed
    private static void nats(String run, String url, Tracer tracer) throws Exception {
        CountDownLatch handled = new CountDownLatch(MESSAGES + 1);
        AgentInterfaces.NatsGreetingHandler handler = text -> {
            if (text.startsWith(run)) {
                printCurrent("handler", "nats", text);
                handled.countDown();
                if (text.equals(failingId(run, "nats"))) {
                    throw new IllegalStateException("rejected by the peer");
                }
            }
        };
        Connection connection = Nats.connect(url);
        try (Subscription subscription = new TracedAgentInterfaces_NatsGreetingHandler(handler).start(connection)) {
            connection.flush(Duration.ofSeconds(10));
            AgentInterfaces.NatsGreetings greetings = new TracedAgentInterfaces_NatsGreetings(connection);
            for (String message : messageIds(run, "nats")) {
                Span caller = tracer.spanBuilder(CALLER_SPAN).setAttribute("message", message).startSpan();
                try (Scope ignored = caller.makeCurrent()) {
                    greetings.greet(message);
                } finally {
                    caller.end();
                }
            }
            await(handled, "nats");
        } finally {
            connection.close();
        }
    }

    /** JetStream, which the agent instruments on the consuming side only. */
    @SuppressWarnings("try") // scopes and the subscription are there to be closed
    private static void jetStream(String run, String url, Tracer tracer) throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        String message = messageId(run, "jetstream", 0);
        AgentInterfaces.StoredGreetingHandler handler = text -> {
            if (text.equals(message)) {
                printCurrent("handler", "jetstream", text);
                handled.countDown();
            }
        };
        Connection connection = Nats.connect(url);
        try {
            try {
                connection.jetStreamManagement().addStream(StreamConfiguration.builder()
                        .name(AgentInterfaces.STREAM).subjects(AgentInterfaces.STREAM_SUBJECT)
                        .storageType(StorageType.Memory).build());
            } catch (JetStreamApiException alreadyThere) {
                // an earlier run made it
            }
            try (Subscription subscription = new TracedAgentInterfaces_StoredGreetingHandler(handler)
                    .start(connection)) {
                Span caller = tracer.spanBuilder(CALLER_SPAN).setAttribute("message", message).startSpan();
                try (Scope ignored = caller.makeCurrent()) {
                    new TracedAgentInterfaces_StoredGreetings(connection).greet(message);
                } finally {
                    caller.end();
                }
                await(handled, "jetstream");
            }
        } finally {
            connection.close();
        }
    }

    /** The Kafka key or NATS payload of message {@code i} of a run to {@code system}. */
    static String messageId(String run, String system, int i) {
        return run + "-" + system + "-" + i;
    }

    /** The Kafka key or NATS payload of the message of a run to {@code system} that its handler rejects. */
    static String failingId(String run, String system) {
        return run + "-" + system + "-fail";
    }

    private static List<String> messageIds(String run, String system) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            ids.add(messageId(run, system, i));
        }
        ids.add(failingId(run, system));
        return ids;
    }

    private static void printCurrent(String what, String system, String message) {
        Span current = Span.current();
        System.out.println("PEER " + what + " " + system + " " + message + " " + current.getSpanContext().getTraceId()
                + " " + current.getSpanContext().getSpanId());
    }

    private static void await(CountDownLatch handled, String system) throws InterruptedException {
        if (!handled.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the " + system + " consumer did not handle its messages in 30 s; "
                    + handled.getCount() + " missing");
        }
    }

    private static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return config;
    }

    private static Map<String, Object> consumerConfig(String bootstrapServers, String group) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return config;
    }
}
