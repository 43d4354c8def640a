package dev.tracewire.runtime.kafka.internal;

import static dev.tracewire.runtime.testing.TestSupport.values;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class KafkaHeadersTest {

    private static final KafkaAdapters.Send SETTER = new KafkaAdapters.Send(true);
    private static final KafkaAdapters.Process GETTER = new KafkaAdapters.Process(true, false);

    @Test
    void putAddsAHeader() {
        Headers headers = new RecordHeaders();

        KafkaHeaders.put(headers, "tenant", "acme");

        assertThat(values(headers, "tenant")).containsExactly("acme");
    }

    @Test
    void putReplacesEveryHeaderOfThatName() {
        Headers headers = new RecordHeaders();
        headers.add("tenant", "one".getBytes(UTF_8));
        headers.add("other", "kept".getBytes(UTF_8));
        headers.add("tenant", "two".getBytes(UTF_8));

        KafkaHeaders.put(headers, "tenant", "globex");

        assertThat(values(headers, "tenant")).containsExactly("globex");
        assertThat(values(headers, "other")).containsExactly("kept");
    }

    @Test
    void putOfNullRemovesEveryHeaderOfThatName() {
        Headers headers = new RecordHeaders();
        headers.add("tenant", "one".getBytes(UTF_8));
        headers.add("tenant", "two".getBytes(UTF_8));
        headers.add("other", "kept".getBytes(UTF_8));

        KafkaHeaders.put(headers, "tenant", (String) null);
        KafkaHeaders.put(headers, "absent", (String) null);

        assertThat(headers.headers("tenant")).isEmpty();
        assertThat(headers.headers("absent")).isEmpty();
        assertThat(values(headers, "other")).containsExactly("kept");
    }

    @Test
    void putOfBytesReplacesAndRemovesToo() {
        Headers headers = new RecordHeaders();
        headers.add("blob", new byte[] {1});
        headers.add("blob", null);

        KafkaHeaders.put(headers, "blob", new byte[] {2, 3});
        assertThat(headers.headers("blob")).singleElement()
                .satisfies(header -> assertThat(header.value()).containsExactly(2, 3));

        KafkaHeaders.put(headers, "blob", (byte[]) null);
        assertThat(headers.headers("blob")).isEmpty();
    }

    @Test
    void stringsAreUtf8BothWays() {
        Headers headers = new RecordHeaders();

        KafkaHeaders.put(headers, "city", "Zürich ✓");

        assertThat(headers.lastHeader("city").value()).isEqualTo("Zürich ✓".getBytes(UTF_8));
        assertThat(KafkaHeaders.lastString(headers, "city")).isEqualTo("Zürich ✓");
    }

    @Test
    void readsTakeTheLastHeaderOfThatName() {
        Headers headers = new RecordHeaders();
        headers.add("tenant", "one".getBytes(UTF_8));
        headers.add("tenant", "two".getBytes(UTF_8));

        assertThat(KafkaHeaders.lastString(headers, "tenant")).isEqualTo("two");
        assertThat(KafkaHeaders.lastBytes(headers, "tenant")).isEqualTo("two".getBytes(UTF_8));
    }

    @Test
    void readsAreNullSafe() {
        Headers headers = new RecordHeaders();
        headers.add("empty", null);
        headers.add("blank", new byte[0]);

        assertThat(KafkaHeaders.lastString(headers, "missing")).isNull();
        assertThat(KafkaHeaders.lastBytes(headers, "missing")).isNull();
        assertThat(KafkaHeaders.lastString(headers, "empty")).isNull();
        assertThat(KafkaHeaders.lastBytes(headers, "empty")).isNull();
        assertThat(KafkaHeaders.lastString(headers, "blank")).isEmpty();
    }

    @Test
    void aNullValueAfterAGoodOneHidesIt() {
        Headers headers = new RecordHeaders();
        headers.add("tenant", "one".getBytes(UTF_8));
        headers.add("tenant", null);

        assertThat(KafkaHeaders.lastString(headers, "tenant")).isNull();
    }

    @Test
    void getterListsTheKeysAndReadsTheLastValue() {
        Headers headers = new RecordHeaders();
        headers.add("traceparent", "a".getBytes(UTF_8));
        headers.add("baggage", "b".getBytes(UTF_8));
        headers.add("traceparent", "c".getBytes(UTF_8));

        ConsumerRecord<String, String> record = received(headers);

        assertThat(GETTER.keys(record)).containsExactly("traceparent", "baggage", "traceparent");
        assertThat(GETTER.get(record, "traceparent")).isEqualTo("c");
        assertThat(GETTER.get(record, "missing")).isNull();
    }

    @Test
    void getterToleratesAMissingCarrier() {
        assertThat(GETTER.keys(null)).isEmpty();
        assertThat(GETTER.get(null, "traceparent")).isNull();
        assertThat(GETTER.keys(received(new RecordHeaders()))).isEmpty();
    }

    @Test
    void setterReplaces() {
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");
        record.headers().add("traceparent", "stale".getBytes(UTF_8));

        SETTER.set(record, "traceparent", "fresh");

        assertThat(values(record.headers(), "traceparent")).containsExactly("fresh");
    }

    @Test
    void aPropagatorRoundTripsThroughTheSetterAndGetter() {
        SpanContext sent = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        ProducerRecord<String, String> record = new ProducerRecord<>("orders", "k", "v");
        record.headers().add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01".getBytes(UTF_8));

        W3CTraceContextPropagator.getInstance().inject(Context.root().with(Span.wrap(sent)), record, SETTER);
        Context received = W3CTraceContextPropagator.getInstance().extract(Context.root(), received(record.headers()),
                GETTER);

        assertThat(record.headers().headers("traceparent")).hasSize(1);
        SpanContext extracted = Span.fromContext(received).getSpanContext();
        assertThat(extracted.getTraceId()).isEqualTo(sent.getTraceId());
        assertThat(extracted.getSpanId()).isEqualTo(sent.getSpanId());
        assertThat(extracted.isRemote()).isTrue();
    }

    private static ConsumerRecord<String, String> received(Headers headers) {
        return new ConsumerRecord<>("orders", 0, 0L, 0L, TimestampType.CREATE_TIME, 1, 1, "k", "v", headers,
                Optional.empty());
    }
}
