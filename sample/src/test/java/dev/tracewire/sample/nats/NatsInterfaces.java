package dev.tracewire.sample.nats;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The NATS interfaces the end-to-end tests generate clients for; each scenario has subjects (and
 * streams) of its own on the shared server.
 */
final class NatsInterfaces {

    static final String QUOTES = "e2e.quotes";
    static final String WORK = "e2e.work";
    static final String SENSORS = "sensors.*.temp";
    static final String KITCHEN_TEMP = "sensors.kitchen.temp";
    static final String ALERTS = "alerts.>";
    static final String FIRE_ALERT = "alerts.fire.floor1";
    static final String QUOTE_REQUEST = "e2e.request.quote";
    static final String COUNT_REQUEST = "e2e.request.count";
    static final String NOBODY = "e2e.request.nobody";
    static final String SLOW = "e2e.request.slow";
    static final String ORDERS_STREAM = "E2E_ORDERS";
    static final String ORDER_PLACED = "e2e.orders.placed";
    static final String ORDER_CANCELLED = "e2e.orders.cancelled";
    static final String FLAKY_STREAM = "E2E_FLAKY";
    static final String FLAKY_JOBS = "e2e.flaky.jobs";
    static final String RAW = "e2e.raw";
    static final String EMBEDDED_QUOTES = "e2e.embedded.quotes";
    static final String EMBEDDED_TEXT = "e2e.embedded.text";
    static final String EMBEDDING_OUT = "e2e.embedding.out";
    static final String STRICT = "e2e.strict";
    static final String BRIDGE_IN = "e2e.bridge.in";
    static final String BRIDGE_CORE = "e2e.bridge.core";
    static final String BRIDGE_STREAM = "E2E_BRIDGE";
    static final String BRIDGE_JETSTREAM = "e2e.bridge.js";
    static final String BRIDGE_OUT = "e2e.bridge.out";

    private NatsInterfaces() {
    }

    record Quote(String symbol, long cents) {
    }

    /** A payload type with a codec of the test's own, which refuses some payloads. */
    record Strict(String value) {
    }

    @TracedPublisher
    interface QuotePublisher {
        @Subject(QUOTES)
        void quoted(Quote quote, @Header("tenant") String tenant);

        @Subject(WORK)
        void work(String item);

        @Subject(KITCHEN_TEMP)
        void kitchenTemperature(String celsius);

        @Subject(FIRE_ALERT)
        void fire(String text);
    }

    @TracedConsumer(group = "e2e-quotes")
    interface QuoteHandler {
        @Subject(QUOTES)
        void onQuote(Quote quote, @Header("tenant") String tenant);
    }

    @TracedConsumer(group = "e2e-workers")
    interface Worker {
        @Subject(WORK)
        void onWork(String item);
    }

    /** No queue group: every subscription gets every message. */
    @TracedConsumer
    interface Watcher {
        @Subject(SENSORS)
        void onTemperature(String celsius);

        @Subject(ALERTS)
        void onAlert(String text);
    }

    @TracedPublisher
    interface QuoteClient {
        @Subject(QUOTE_REQUEST)
        Quote quote(String symbol, @Header("tenant") String tenant);

        @Subject(COUNT_REQUEST)
        CompletableFuture<Integer> count(String text);

        @Subject(NOBODY)
        String nobody(String text);

        @Subject(SLOW)
        String slow(String text);
    }

    @TracedConsumer(group = "e2e-quote-service")
    interface QuoteService {
        @Subject(QUOTE_REQUEST)
        Quote quote(String symbol, @Header("tenant") String tenant);

        @Subject(COUNT_REQUEST)
        Integer count(String text);

        @Subject(SLOW)
        String slow(String text) throws InterruptedException;
    }

    @TracedPublisher
    interface OrderStream {
        @Subject(ORDER_PLACED)
        PublishAck placed(Quote quote);

        @Subject(ORDER_CANCELLED)
        CompletableFuture<PublishAck> cancelled(String orderId);

        @Subject(value = FLAKY_JOBS, stream = FLAKY_STREAM)
        void job(String job);
    }

    /** A handler that declares a checked exception, like real ones. */
    @TracedConsumer(group = "e2e-flaky")
    interface FlakyJobs {
        @Subject(value = FLAKY_JOBS, stream = FLAKY_STREAM)
        void onJob(String job) throws JobRejectedException;
    }

    @TracedConsumer(group = "e2e-raw")
    interface RawText {
        @Subject(RAW)
        void onText(String text, @Header("tenant") String tenant);
    }

    @TracedConsumer
    interface EmbeddedContext {
        @Subject(EMBEDDED_QUOTES)
        void onQuote(Quote quote);

        @Subject(EMBEDDED_TEXT)
        void onText(String text);
    }

    @TracedPublisher
    interface EmbeddingPublisher {
        @Subject(EMBEDDING_OUT)
        void send(Quote quote);
    }

    @TracedConsumer
    interface StrictHandler {
        @Subject(STRICT)
        void onStrict(Strict strict);
    }

    /*
     * Kafka -> NATS -> JetStream -> Kafka: each hop's handler publishes to the next system with the
     * generated publisher of that system.
     */

    @TracedPublisher
    interface BridgeStart {
        @Topic(BRIDGE_IN)
        void start(@Key String key, String text);
    }

    @TracedConsumer(group = "e2e-bridge-in")
    interface BridgeFromKafka {
        @Topic(BRIDGE_IN)
        void onIn(@Key String key, String text);
    }

    @TracedPublisher
    interface BridgeToNats {
        @Subject(BRIDGE_CORE)
        void forward(String text, @Header("key") String key);
    }

    @TracedConsumer(group = "e2e-bridge-core")
    interface BridgeFromNats {
        @Subject(BRIDGE_CORE)
        void onCore(String text, @Header("key") String key);
    }

    @TracedPublisher
    interface BridgeToJetStream {
        @Subject(BRIDGE_JETSTREAM)
        PublishAck store(String text, @Header("key") String key);
    }

    @TracedConsumer(group = "e2e-bridge-js")
    interface BridgeFromJetStream {
        @Subject(value = BRIDGE_JETSTREAM, stream = BRIDGE_STREAM)
        void onStored(String text, @Header("key") String key);
    }

    @TracedPublisher
    interface BridgeToKafka {
        @Topic(BRIDGE_OUT)
        RecordMetadata out(@Key String key, String text);
    }

    @TracedConsumer(group = "e2e-bridge-out")
    interface BridgeSink {
        @Topic(BRIDGE_OUT)
        void onOut(@Key String key, String text);
    }

    static final class JobRejectedException extends Exception {
        private static final long serialVersionUID = 1L;

        JobRejectedException(String message) {
            super(message);
        }
    }
}
