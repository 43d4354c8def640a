package dev.tracewire.sample;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.Telemetry;
import dev.tracewire.sample.infra.TraceTree;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The sample: a shop places orders on Kafka, billing handles each one and publishes an invoice,
 * the mailer handles the invoice. Every hop is a generated tracewire class, so each order is one
 * trace of five spans, printed as a tree at the end. One order cannot be billed: its process spans
 * show the error, the retries, and the skip the error policy decides on.
 */
public final class Main {

    private static final String TENANT = "acme";
    private static final List<Order> ORDERS = List.of(
            new Order("o-1001", "ada", 4_200),
            new Order("o-1002", "grace", 1_337),
            new Order("o-1003", "linus", 0));
    private static final int BILLABLE = 2;
    private static final int SPANS_PER_BILLED_ORDER = 5;
    private static final int ATTEMPTS_FOR_UNBILLABLE = 3;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        TraceTree traces = new TraceTree();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                Telemetry telemetry = Telemetry.create("tracewire-sample", traces)) {
            System.out.printf("Kafka broker (in-process KRaft) at %s, started in %d ms%n", kafka.bootstrapServers(),
                    kafka.startupTime().toMillis());
            kafka.createTopic("orders", 2);
            kafka.createTopic("invoices", 1);
            run(kafka, telemetry, traces);
        }
    }

    private static void run(EmbeddedKafka kafka, Telemetry telemetry, TraceTree traces) throws Exception {
        TracewireOptions options = TracewireOptions.builder().openTelemetry(telemetry.sdk()).build();
        TracewireOptions billingOptions = options.toBuilder()
                .errorPolicy(ErrorPolicy.retry(ATTEMPTS_FOR_UNBILLABLE, Duration.ofMillis(100), Duration.ofMillis(400))
                        .thenSkip())
                .build();
        CountDownLatch mailed = new CountDownLatch(BILLABLE);

        try (KafkaProducer<String, Order> orderProducer =
                        new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), OrderSerde.serializer());
                KafkaProducer<String, String> invoiceProducer =
                        new KafkaProducer<>(kafka.producerConfig(), new StringSerializer(), new StringSerializer())) {
            OrderEvents orders = new TracedOrderEvents(orderProducer, options);
            InvoiceEvents invoices = new TracedInvoiceEvents(invoiceProducer, options);
            InvoiceHandler mailer = (orderId, invoice, tenant) -> {
                System.out.printf("mailer: %s (tenant %s, trace %s)%n", invoice, tenant,
                        Span.current().getSpanContext().getTraceId());
                mailed.countDown();
            };

            try (Subscription billing = new TracedOrderHandler(new Billing(invoices), billingOptions).start(
                            new KafkaConsumer<>(kafka.consumerConfig("billing"), new StringDeserializer(),
                                    OrderSerde.deserializer()));
                    Subscription mailing = new TracedInvoiceHandler(mailer, options).start(
                            new KafkaConsumer<>(kafka.consumerConfig("mailer"), new StringDeserializer(),
                                    new StringDeserializer()))) {
                Tracer tracer = telemetry.tracer("dev.tracewire.sample");
                for (Order order : ORDERS) {
                    Span checkout = tracer.spanBuilder("checkout " + order.id()).startSpan();
                    Scope scope = checkout.makeCurrent();
                    try {
                        orders.placed(order.id(), order, TENANT).join();
                    } finally {
                        scope.close();
                        checkout.end();
                    }
                }
                if (!mailed.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the invoices were not mailed within 30 s");
                }
                int expectedSpans = BILLABLE * SPANS_PER_BILLED_ORDER + (ORDERS.size() - BILLABLE)
                        * (2 + ATTEMPTS_FOR_UNBILLABLE);
                traces.awaitSpans(expectedSpans, Duration.ofSeconds(30));
                System.out.printf("billing running: %s, mailer running: %s%n", billing.isRunning(),
                        mailing.isRunning());
            }
        }
        System.out.println();
        System.out.println("Traces (offset from trace start, duration):");
        System.out.println(traces.render());
    }
}
