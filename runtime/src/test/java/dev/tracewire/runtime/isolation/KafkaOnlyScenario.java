package dev.tracewire.runtime.isolation;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.kafka.internal.KafkaDispatcher;
import dev.tracewire.runtime.kafka.internal.KafkaPublisher;
import dev.tracewire.runtime.kafka.internal.KafkaSender;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a Kafka-only user does, run in a class loader without jnats and Jackson: send a record and
 * handle one. Returns what the handler saw.
 */
public final class KafkaOnlyScenario implements Callable<String> {

    @Override
    public String call() throws Exception {
        TracewireOptions options = TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build();
        MockProducer<String, String> producer =
                new MockProducer<>(true, null, new StringSerializer(), new StringSerializer());
        KafkaSender<String, String> sender = new KafkaPublisher<>(producer, options).sender("orders");
        sender.send(sender.record("k", "v")).get();
        List<String> seen = new ArrayList<>();
        KafkaDispatcher<String, String> dispatcher = KafkaDispatcher.<String, String>builder("Handler", "", options)
                .route("orders", record -> seen.add(record.key() + "=" + record.value()))
                .build();
        dispatcher.handle(new ConsumerRecord<>("orders", 0, 0L, "k", "v"));
        return producer.history().size() + " sent, handled " + seen;
    }
}
