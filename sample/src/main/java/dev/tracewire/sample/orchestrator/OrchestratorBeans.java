package dev.tracewire.sample.orchestrator;

import dev.tracewire.runtime.ErrorPolicy;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.NatsDeadLetters;
import dev.tracewire.runtime.nats.NatsOptions;
import dev.tracewire.sample.infra.Brokers;
import dev.tracewire.sample.model.JsonSerde;
import dev.tracewire.sample.model.WorkOrder;
import io.nats.client.Connection;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;

/**
 * The orchestrator's clients and options as Spring beans (Spring 7's programmatic registration);
 * the rest, generated classes included, is found by scanning. Spring closes the connection and the
 * producer when the context closes, after the generated consumer stopped.
 */
final class OrchestratorBeans implements BeanRegistrar {

    private final Brokers brokers;
    private final OpenTelemetry openTelemetry;

    OrchestratorBeans(Brokers brokers, OpenTelemetry openTelemetry) {
        this.brokers = brokers;
        this.openTelemetry = openTelemetry;
    }

    @Override
    public void register(BeanRegistry registry, Environment environment) {
        // README: spring beans
        registry.registerBean(Connection.class, bean -> bean.supplier(beans -> brokers.connectNats("orchestrator")));
        registry.registerBean(new ParameterizedTypeReference<Producer<String, WorkOrder>>() { },
                bean -> bean.supplier(beans -> new KafkaProducer<>(brokers.producerConfig(), new StringSerializer(),
                        JsonSerde.serializer())));
        registry.registerBean(TracewireOptions.class, bean -> bean.supplier(beans -> TracewireOptions.builder()
                .openTelemetry(openTelemetry)
                .errorPolicy(ErrorPolicy.retry(3, Duration.ofMillis(100), Duration.ofMillis(400)).thenDeadLetter())
                .with(NatsOptions.builder().deadLetters(NatsDeadLetters.toStream()).build()) // to dlq.alerts.enriched
                .build()));
        // README: end
    }
}
