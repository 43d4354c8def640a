package dev.tracewire.sample.kafka;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Kafka batch methods: a consumer method whose payload is a {@code List<T>} takes the records of a poll. */
final class BatchInterfaces {

    static final String PAYMENTS = "batch-payments";
    static final String RETRIED = "batch-retried";
    static final String SKIPPED = "batch-skipped";
    static final String DOOMED = "batch-doomed";

    private BatchInterfaces() {
    }

    @TracedPublisher
    interface Payments {
        @Topic(PAYMENTS)
        CompletableFuture<RecordMetadata> paid(@Key String paymentId, String payment);

        @Topic(RETRIED)
        CompletableFuture<RecordMetadata> paidAgain(@Key String paymentId, String payment);

        @Topic(SKIPPED)
        CompletableFuture<RecordMetadata> paidInVain(@Key String paymentId, String payment);

        @Topic(DOOMED)
        CompletableFuture<RecordMetadata> paidDoomed(@Key String paymentId, String payment);
    }

    @TracedConsumer(group = "batch-ledger")
    interface Ledger {
        @Topic(PAYMENTS)
        void onPayments(List<String> payments) throws Exception;
    }

    @TracedConsumer(group = "batch-retrying-ledger")
    interface RetryingLedger {
        @Topic(RETRIED)
        void onPayments(List<String> payments) throws Exception;
    }

    @TracedConsumer(group = "batch-skipping-ledger")
    interface SkippingLedger {
        @Topic(SKIPPED)
        void onPayments(List<String> payments) throws Exception;
    }

    @TracedConsumer(group = "batch-dead-lettering-ledger")
    interface DeadLetteringLedger {
        @Topic(DOOMED)
        void onPayments(List<String> payments) throws Exception;
    }
}
