package dev.tracewire.sample.kafka;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The interfaces the end-to-end tests generate clients for; each scenario has topics of its own. */
final class E2eInterfaces {

    static final String PING = "e2e.ping";
    static final String CHAIN_IN = "e2e.chain.in";
    static final String CHAIN_OUT = "e2e.chain.out";
    static final String FLAKY = "e2e.flaky";
    static final String RAW = "e2e.raw";
    static final String OWN_LOOP = "e2e.own-loop";

    private E2eInterfaces() {
    }

    @TracedPublisher
    interface PingEvents {
        @Topic(PING)
        CompletableFuture<RecordMetadata> ping(@Key String key, String text, @Header("tenant") String tenant,
                @Header("blob") byte[] blob);

        @Topic(OWN_LOOP)
        RecordMetadata toOwnLoop(@Key String key, String text);
    }

    @TracedConsumer(group = "e2e-ping")
    interface PingHandler {
        @Topic(PING)
        void onPing(@Key String key, String text, @Header("tenant") String tenant, @Header("blob") byte[] blob);
    }

    @TracedPublisher
    interface ChainStart {
        @Topic(CHAIN_IN)
        void start(@Key String key, String text);
    }

    @TracedPublisher
    interface ChainForward {
        @Topic(CHAIN_OUT)
        RecordMetadata forward(@Key String key, String text);
    }

    @TracedConsumer(group = "e2e-chain-relay")
    interface ChainRelay {
        @Topic(CHAIN_IN)
        void onIn(@Key String key, String text);
    }

    @TracedConsumer(group = "e2e-chain-sink")
    interface ChainSink {
        @Topic(CHAIN_OUT)
        void onOut(@Key String key, String text);
    }

    /** A handler that declares a checked exception, like real ones. */
    @TracedConsumer(group = "e2e-flaky")
    interface FlakyHandler {
        @Topic(FLAKY)
        void onRecord(@Key String key, String text) throws RejectedException;
    }

    @TracedConsumer(group = "e2e-raw")
    interface RawHandler {
        @Topic(RAW)
        void onRecord(@Key String key, String text);
    }

    @TracedConsumer(group = "e2e-own-loop")
    interface OwnLoopHandler {
        @Topic(OWN_LOOP)
        void onRecord(@Key String key, String text);
    }

    static final class RejectedException extends Exception {
        private static final long serialVersionUID = 1L;

        RejectedException(String message) {
            super(message);
        }
    }
}
