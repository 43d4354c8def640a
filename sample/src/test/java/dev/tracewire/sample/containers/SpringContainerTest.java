package dev.tracewire.sample.containers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.containers.spring.Packer;
import dev.tracewire.sample.containers.spring.ShippingService;
import dev.tracewire.sample.containers.spring.SpringShipping;
import dev.tracewire.sample.containers.spring.TracedSpringShipping_ParcelHandler;
import dev.tracewire.sample.containers.spring.TracedSpringShipping_Shipments;
import dev.tracewire.sample.containers.spring.TracedSpringShipping_ShipmentHandler;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SharedNats;
import dev.tracewire.sample.support.TracewireThreads;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;

/**
 * The spring component model in a real {@code ApplicationContext}: it scans a package, finds the
 * generated publishers and consumers next to the user's components, injects a publisher by its
 * interface into a service and the other into a handler, and runs the consumers on the real broker
 * and server from the context's start to its close, with the Kafka {@code Consumer}, the NATS
 * {@code Connection}, the {@code Producer} and {@code TracewireOptions} as the context's beans.
 */
@ExtendWith({SharedKafka.Extension.class, SharedNats.Extension.class})
@SuppressWarnings("try") // scopes are there to be closed
class SpringContainerTest extends ContainerTestBase {

    /** The user's configuration: clients and options as beans, the rest found by scanning. */
    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = SpringShipping.class)
    static class Wiring {

        @Bean
        Producer<String, String> producer(Brokers brokers) {
            return new KafkaProducer<>(brokers.kafka().producerConfig(), new StringSerializer(),
                    new StringSerializer());
        }

        /** A new consumer each time the generated consumer starts: the subscription owns and closes it. */
        @Bean
        @Scope("prototype")
        Consumer<String, String> consumer(Brokers brokers) {
            return new KafkaConsumer<>(brokers.kafka().consumerConfig(SpringShipping.SHIPPING_GROUP),
                    new StringDeserializer(), new StringDeserializer());
        }

        @Bean
        Connection connection(Brokers brokers) throws IOException, InterruptedException {
            return Nats.connect(brokers.nats().url());
        }
    }

    /** Where the brokers are; not the brokers themselves, which Spring would close as AutoCloseable beans. */
    record Brokers(EmbeddedKafka kafka, NatsServerProcess nats) {
    }

    @Test
    void theContextInjectsAndRunsTheGeneratedClientsAndTheTraceIsThePlainWiringsOne(EmbeddedKafka kafka,
            NatsServerProcess nats) throws Exception {
        kafka.createTopic(SpringShipping.SHIPMENTS, 1);
        Set<String> threadsBefore = TracewireThreads.alive();
        Deliveries deliveries = new Deliveries();
        AnnotationConfigApplicationContext context = context(kafka, nats, deliveries);
        try {
            ShippingService service = context.getBean(ShippingService.class);
            assertThat(service.shipments()).isInstanceOf(TracedSpringShipping_Shipments.class)
                    .isSameAs(context.getBean(SpringShipping.Shipments.class));
            TracedSpringShipping_ShipmentHandler shipmentConsumer =
                    context.getBean(TracedSpringShipping_ShipmentHandler.class);
            TracedSpringShipping_ParcelHandler parcelConsumer = context.getBean(TracedSpringShipping_ParcelHandler.class);
            assertThat(shipmentConsumer.isRunning()).isTrue();
            assertThat(parcelConsumer.isRunning()).isTrue();

            SpanData caller = ship(() -> service.ship("s-1", "books").get(30, TimeUnit.SECONDS));
            Deliveries.Handled shipment = deliveries.nextShipment();
            Deliveries.Handled parcel = deliveries.nextParcel();
            assertThat(shipment.what()).isEqualTo("s-1:books");
            assertThat(parcel.what()).isEqualTo("s-1:books");
            List<SpanData> spans = awaitSpans(found -> ShippingTrace.shape(found, caller.getTraceId()).size() == 5);
            ShippingTrace.assertOneTrace(spans, caller, shipment, parcel);
            assertThat(ShippingTrace.shape(spans, caller.getTraceId()))
                    .isEqualTo(ShippingTrace.shape(plainWiringTrace(kafka, nats), plainCallerTraceId));

            // Closing the context while a record is in flight: it is finished and committed first.
            Packer packer = context.getBean(Packer.class);
            long slowOffset = service.ship("s-2", "slow").get(30, TimeUnit.SECONDS).offset();
            assertThat(packer.slowStarted().await(30, TimeUnit.SECONDS)).isTrue();
            long closing = System.nanoTime();
            context.close();
            assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
            assertThat(deliveries.nextShipment().what()).isEqualTo("s-2:slow");
            assertThat(shipmentConsumer.isRunning()).isFalse();
            assertThat(parcelConsumer.isRunning()).isFalse();
            assertThat(TracewireThreads.awaitOnly(threadsBefore, Duration.ofSeconds(10))).isEmpty();
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.admin()
                    .listConsumerGroupOffsets(SpringShipping.SHIPPING_GROUP).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            assertThat(committed.get(new TopicPartition(SpringShipping.SHIPMENTS, 0)).offset()).isEqualTo(slowOffset + 1);
        } finally {
            context.close();
        }
    }

    @Test
    void aContextStoppedAndStartedAgainConsumesWithANewConsumer(EmbeddedKafka kafka, NatsServerProcess nats)
            throws Exception {
        kafka.createTopic(SpringShipping.SHIPMENTS, 1);
        Deliveries deliveries = new Deliveries();
        try (AnnotationConfigApplicationContext context = context(kafka, nats, deliveries)) {
            ShippingService service = context.getBean(ShippingService.class);
            TracedSpringShipping_ShipmentHandler shipmentConsumer =
                    context.getBean(TracedSpringShipping_ShipmentHandler.class);

            context.stop();
            assertThat(shipmentConsumer.isRunning()).isFalse();
            service.ship("s-3", "lamps").get(30, TimeUnit.SECONDS);
            context.start();

            assertThat(shipmentConsumer.isRunning()).isTrue();
            assertThat(deliveries.nextShipment().what()).isEqualTo("s-3:lamps");
        }
    }

    private AnnotationConfigApplicationContext context(EmbeddedKafka kafka, NatsServerProcess nats,
            Deliveries deliveries) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean(Brokers.class, () -> new Brokers(kafka, nats));
        context.registerBean(TracewireOptions.class, () -> options);
        context.registerBean(Deliveries.class, () -> deliveries);
        context.register(Wiring.class);
        context.refresh();
        return context;
    }

    /** Runs {@code action} inside a span named {@code ship}; returns that span once ended. */
    private SpanData ship(ThrowingRunnable action) throws Exception {
        Span caller = sdk.getTracer("test").spanBuilder("ship").startSpan();
        try (io.opentelemetry.context.Scope scope = caller.makeCurrent()) {
            action.run();
        } finally {
            caller.end();
        }
        String spanId = caller.getSpanContext().getSpanId();
        return awaitSpans(spans -> spans.stream().anyMatch(s -> s.getSpanId().equals(spanId))).stream()
                .filter(s -> s.getSpanId().equals(spanId)).findFirst().orElseThrow();
    }
}
