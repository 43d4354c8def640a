package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsReliabilityInterfaces.CARRIED_QUOTES;
import static dev.tracewire.sample.nats.NatsReliabilityInterfaces.CARRIED_TEXT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A context field in a JSON payload ({@code _otel_trace_headers}) is always taken out before the
 * payload is decoded, on the real server: when tracewire's own publisher puts it there next to the
 * headers, and whatever a raw peer puts in it. Quotes are decoded strictly (an unknown field fails
 * them), so a quote that is handled proves the field was gone; text handlers see what is left.
 */
class NatsPayloadCarrierTest extends NatsTestBase {

    private static final String FIELD = "_otel_trace_headers";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IdGenerator IDS = IdGenerator.random();
    /** What a peer may put in the field besides an object of strings. */
    private static final Map<String, String> MALFORMED = Map.of(
            "string", "\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"",
            "number", "42",
            "null", "null",
            "array", "[\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"]",
            "non-string members", "{\"traceparent\":7,\"tracestate\":{\"a\":\"b\"},\"baggage\":[1]}");

    /** What a handler got: the payload and the span it ran in. */
    record Handled(Object payload, SpanContext span) {
    }

    @Test
    void tracewireToTracewireWithTheContextInHeadersAndFieldHandlesEveryMessageAsAChildOfItsSend() throws Exception {
        BlockingQueue<Handled> handled = start();
        Connection publisherConnection = connect();
        Connection wireConnection = connect();
        io.nats.client.Subscription wire = wireConnection.subscribe(CARRIED_QUOTES);
        wireConnection.flush(Duration.ofSeconds(5));
        NatsReliabilityInterfaces.CarrierPublisher publisher = new TracedNatsReliabilityInterfaces_CarrierPublisher(
                publisherConnection, options.toBuilder().embedContextInPayload(true).build());

        List<Span> callers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Span caller = tracer().spanBuilder("caller " + i).startSpan();
            Scope scope = caller.makeCurrent();
            try {
                publisher.quote(new Quote("Q" + i, i));
                publisher.text("{\"note\":\"t" + i + "\",\"nested\":{\"n\":" + i + "}}");
            } finally {
                scope.close();
                caller.end();
            }
            callers.add(caller);
        }
        publisherConnection.flush(Duration.ofSeconds(5));

        Message onTheWire = wire.nextMessage(Duration.ofSeconds(10));
        assertThat(onTheWire.getHeaders().get("traceparent")).as("headers").hasSize(1);
        assertThat(JSON.readTree(onTheWire.getData()).path(FIELD).path("traceparent").asText()).as("and the field")
                .isEqualTo(onTheWire.getHeaders().getFirst("traceparent"));

        Map<String, Handled> byId = drain(handled, 6);
        assertThat(byId).containsOnlyKeys("quote:Q1", "quote:Q2", "quote:Q3", "text:t1", "text:t2", "text:t3");
        for (int i = 1; i <= 3; i++) {
            assertThat(byId.get("quote:Q" + i).payload()).isEqualTo(new Quote("Q" + i, i));
            JsonNode text = JSON.readTree((String) byId.get("text:t" + i).payload());
            assertThat(text.has(FIELD)).as("the field never reaches the handler").isFalse();
            assertThat(text.path("nested").path("n").asInt()).isEqualTo(i);
            String traceId = callers.get(i - 1).getSpanContext().getTraceId();
            for (String id : List.of("quote:Q" + i, "text:t" + i)) {
                SpanData process = spanOf(byId.get(id));
                String subject = id.startsWith("quote:") ? CARRIED_QUOTES : CARRIED_TEXT;
                SpanData publish = named(exporter.getFinishedSpanItems(), "publish " + subject).stream()
                        .filter(span -> span.getTraceId().equals(traceId)).findFirst().orElseThrow();
                assertThat(process.getName()).isEqualTo("process " + subject);
                assertThat(process.getTraceId()).isEqualTo(traceId);
                assertThat(process.getParentSpanId()).as("%s: child of its send span", id).isEqualTo(publish.getSpanId());
                assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
            }
        }
        assertHandledOnlyOnce(handled, 6);
    }

    @Test
    void aMalformedFieldIsRemovedAndTheMessageHandledOnceInANewTraceOrInItsHeadersTrace() throws Exception {
        BlockingQueue<Handled> handled = start();
        Connection peer = connect();
        Map<String, String> headerTraces = new HashMap<>();
        Map<String, String> headerParents = new HashMap<>();
        int cents = 0;
        for (Map.Entry<String, String> shape : MALFORMED.entrySet()) {
            for (boolean withHeaders : List.of(false, true)) {
                cents++;
                String id = shape.getKey() + (withHeaders ? " + headers" : "");
                Headers headers = null;
                if (withHeaders) {
                    headerTraces.put(id, IDS.generateTraceId());
                    headerParents.put(id, IDS.generateSpanId());
                    headers = new Headers().put("traceparent",
                            "00-" + headerTraces.get(id) + "-" + headerParents.get(id) + "-01");
                }
                peer.publish(CARRIED_QUOTES, headers, json("{\"symbol\":\"" + id + "\",\"cents\":" + cents + ",\""
                        + FIELD + "\":" + shape.getValue() + "}"));
                peer.publish(CARRIED_TEXT, headers, json("{\"note\":\"" + id + "\",\"" + FIELD + "\":"
                        + shape.getValue() + "}"));
            }
        }
        peer.flush(Duration.ofSeconds(5));

        int expected = MALFORMED.size() * 2 * 2;
        Map<String, Handled> byId = drain(handled, expected);
        assertThat(byId).hasSize(expected);
        List<String> freshTraces = new ArrayList<>();
        for (Map.Entry<String, Handled> entry : byId.entrySet()) {
            String key = entry.getKey();
            Handled got = entry.getValue();
            String id = key.substring(key.indexOf(':') + 1);
            if (got.payload() instanceof String text) {
                assertThat(JSON.readTree(text).has(FIELD)).as("%s: field removed", key).isFalse();
                assertThat(JSON.readTree(text).size()).as("%s: only the note is left", key).isEqualTo(1);
            } else {
                assertThat(((Quote) got.payload()).symbol()).isEqualTo(id);
            }
            SpanData process = spanOf(got);
            assertThat(process.getStatus().getStatusCode()).as(key).isEqualTo(StatusCode.UNSET);
            if (headerTraces.containsKey(id)) {
                assertThat(process.getTraceId()).as("%s: the headers' trace", key).isEqualTo(headerTraces.get(id));
                assertThat(process.getParentSpanId()).isEqualTo(headerParents.get(id));
            } else {
                assertThat(process.getParentSpanContext().isValid()).as("%s: a new trace", key).isFalse();
                freshTraces.add(process.getTraceId());
            }
        }
        assertThat(freshTraces).hasSize(MALFORMED.size() * 2).doesNotHaveDuplicates();
        assertHandledOnlyOnce(handled, expected);
    }

    /** Starts the consumer; what it handles lands in the queue. */
    private BlockingQueue<Handled> start() throws Exception {
        BlockingQueue<Handled> handled = new LinkedBlockingQueue<>();
        Connection connection = connect();
        closeLater(new TracedNatsReliabilityInterfaces_CarrierConsumer(new NatsReliabilityInterfaces.CarrierConsumer() {
            @Override
            public void onQuote(Quote quote) {
                handled.add(new Handled(quote, Span.current().getSpanContext()));
            }

            @Override
            public void onText(String json) {
                handled.add(new Handled(json, Span.current().getSpanContext()));
            }
        }, options).start(connection));
        connection.flush(Duration.ofSeconds(5));
        return handled;
    }

    /**
     * Takes {@code count} handled messages, keyed {@code quote:<symbol>} or {@code text:<note>}, failing on a
     * duplicate.
     */
    private static Map<String, Handled> drain(BlockingQueue<Handled> handled, int count) throws Exception {
        Map<String, Handled> byId = new HashMap<>();
        for (int i = 0; i < count; i++) {
            Handled next = handled.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("handled %s so far", byId.keySet()).isNotNull();
            String id = next.payload() instanceof Quote quote ? quote.symbol()
                    : JSON.readTree((String) next.payload()).path("note").asText();
            String key = (next.payload() instanceof Quote ? "quote:" : "text:") + id;
            assertThat(byId.put(key, next)).as("%s handled twice", key).isNull();
        }
        return byId;
    }

    private void assertHandledOnlyOnce(BlockingQueue<Handled> handled, int count) throws InterruptedException {
        Thread.sleep(300);
        assertThat(handled).as("nothing handled twice").isEmpty();
        assertThat(exporter.getFinishedSpanItems().stream().filter(span -> span.getName().startsWith("process ")))
                .hasSize(count);
    }

    private SpanData spanOf(Handled handled) throws InterruptedException {
        String spanId = handled.span().getSpanId();
        return awaitSpans(spans -> spans.stream().anyMatch(s -> s.getSpanId().equals(spanId))).stream()
                .filter(s -> s.getSpanId().equals(spanId)).findFirst().orElseThrow();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
