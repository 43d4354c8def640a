package dev.tracewire.sample.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.EmbeddedKafka;
import dev.tracewire.sample.support.HeaderFuzz;
import dev.tracewire.sample.support.SharedKafka;
import dev.tracewire.sample.support.SpanLedger;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Records with fuzzed headers ({@link HeaderFuzz}) through the real broker to a generated consumer
 * that binds two of them: each record's handler runs exactly once, inside a span, nothing escapes
 * into the poll loop, and every span ends.
 */
@ExtendWith(SharedKafka.Extension.class)
class KafkaHeaderFuzzTest {

    static final String TOPIC = "e2e.fuzz";
    private static final int CASES = 20_000;

    @TracedConsumer(group = "e2e-fuzz")
    interface FuzzHandler {
        @Topic(TOPIC)
        void onRecord(@Key String key, String text, @Header("tenant") String tenant, @Header("blob") byte[] blob);
    }

    @Test
    void everyRecordIsHandledExactlyOnceWhateverItsHeaders(EmbeddedKafka kafka) throws Exception {
        long seed = HeaderFuzz.seed();
        System.out.printf("[tracewire tests] Kafka header fuzz: %d cases, seed %d (-Dtracewire.fuzz.seed=%d)%n",
                CASES, seed, seed);
        HeaderFuzz fuzz = HeaderFuzz.kafka(seed);
        kafka.createTopic(TOPIC, 2);
        SpanLedger ledger = new SpanLedger();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                // Every span recorded, also under a fuzzed traceparent whose flags say "not sampled".
                .setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
                        .addSpanProcessor(ledger).build())
                .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                        W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
                .build();
        AtomicIntegerArray calls = new AtomicIntegerArray(CASES);
        LongAdder firstCalls = new LongAdder();
        LongAdder outsideSpan = new LongAdder();
        Subscription subscription = new TracedKafkaHeaderFuzzTest_FuzzHandler((key, text, tenant, blob) -> {
            if (!Span.current().getSpanContext().isValid()) {
                outsideSpan.increment();
            }
            if (calls.getAndIncrement(Integer.parseInt(key)) == 0) {
                firstCalls.increment();
            }
        }, TracewireOptions.builder().openTelemetry(sdk).build())
                .start(new KafkaConsumer<>(kafka.consumerConfig("e2e-fuzz"), new StringDeserializer(),
                        new StringDeserializer()));
        List<List<HeaderFuzz.Header>> cases = new ArrayList<>();
        long start = System.nanoTime();
        try {
            LongAdder notSent = new LongAdder();
            AtomicReference<Exception> firstRefusal = new AtomicReference<>();
            Map<String, Object> config = kafka.producerConfig();
            // The test's own sends must not time out on a machine that runs other work besides.
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < CASES; i++) {
                    List<HeaderFuzz.Header> headers = fuzz.next();
                    cases.add(headers);
                    ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, Integer.toString(i), "case");
                    headers.forEach(header -> record.headers().add(new RecordHeader(header.name(), header.value())));
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            notSent.increment();
                            firstRefusal.compareAndSet(null, error);
                        }
                    });
                }
            }
            System.out.printf("[tracewire tests] Kafka header fuzz: sent in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            assertThat(notSent.sum()).as("records the broker refused, the first with %s", firstRefusal.get())
                    .isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (firstCalls.sum() < CASES && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.printf("[tracewire tests] Kafka header fuzz: handled in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            Thread.sleep(200); // a record handled twice would show up by now
            assertThat(subscription.isRunning()).as("the consumer still runs").isTrue();
        } finally {
            subscription.close();
            sdk.close();
        }

        List<String> notOnce = new ArrayList<>();
        for (int i = 0; i < CASES && notOnce.size() < 10; i++) {
            if (calls.get(i) != 1) {
                notOnce.add("case " + i + " handled " + calls.get(i) + " times, headers " + describe(cases.get(i)));
            }
        }
        assertThat(notOnce).as("seed %d", seed).isEmpty();
        assertThat(subscription.failure()).isEmpty();
        assertThat(outsideSpan.sum()).as("handlers run outside a span").isZero();
        assertThat(ledger.open()).as("spans never ended").isEmpty();
        assertThat(ledger.ended()).isEqualTo(ledger.started()).isEqualTo(CASES);
        assertThat(ledger.endedUnknown()).isZero();
        assertThat(ledger.failed()).as("failed process spans").isZero();
    }

    private static String describe(List<HeaderFuzz.Header> headers) {
        return headers.stream().map(h -> h.name() + "=" + (h.value() == null ? "null" : h.value().length + " bytes"))
                .toList().toString();
    }
}
