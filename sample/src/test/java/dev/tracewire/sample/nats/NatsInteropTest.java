package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.EMBEDDED_QUOTES;
import static dev.tracewire.sample.nats.NatsInterfaces.EMBEDDED_TEXT;
import static dev.tracewire.sample.nats.NatsInterfaces.EMBEDDING_OUT;
import static dev.tracewire.sample.nats.NatsInterfaces.RAW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Peers that are not tracewire: a client speaking the raw NATS text protocol, and header-less
 * peers that carry the context inside a JSON payload (and a publisher that embeds it for them).
 */
class NatsInteropTest extends NatsTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IdGenerator IDS = IdGenerator.random();

    /** What a handler saw, and the span it ran in. */
    record Received(Object payload, String tenant, SpanContext span) {
    }

    @Test
    void aMessageFromARawProtocolClientContinuesItsTraceparent() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        Connection subscriberConnection = connect();
        closeLater(new TracedNatsInterfaces_RawText(
                (text, tenant) -> received.add(new Received(text, tenant, Span.current().getSpanContext())),
                options).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        String traceId = IDS.generateTraceId();
        String spanId = IDS.generateSpanId();

        try (Socket socket = new Socket("127.0.0.1", nats.port())) {
            socket.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            OutputStream out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("INFO ").contains("\"headers\":true");
            String headers = "NATS/1.0\r\ntraceparent: 00-" + traceId + "-" + spanId + "-01\r\n"
                    + "tenant: raw-tenant\r\n\r\n";
            String payload = "hello from a socket";
            int headerLength = headers.getBytes(StandardCharsets.UTF_8).length;
            int totalLength = headerLength + payload.getBytes(StandardCharsets.UTF_8).length;
            String protocol = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,"
                    + "\"no_responders\":true,\"protocol\":1}\r\n"
                    + "HPUB " + RAW + " " + headerLength + " " + totalLength + "\r\n" + headers + payload + "\r\n"
                    + "PING\r\n";
            out.write(protocol.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line;
            do {
                line = in.readLine();
                assertThat(line).as("the server's answer before PONG").isNotNull().doesNotStartWith("-ERR");
            } while (!line.equals("PONG"));
        }

        Received got = received.poll(30, TimeUnit.SECONDS);
        assertThat(got).as("the handler was called").isNotNull();
        assertThat(got.payload()).isEqualTo("hello from a socket");
        assertThat(got.tenant()).isEqualTo("raw-tenant");
        SpanData process = awaitSpan("process " + RAW);
        assertThat(process.getTraceId()).isEqualTo(traceId);
        assertThat(process.getParentSpanId()).isEqualTo(spanId);
        assertThat(process.getParentSpanContext().isRemote()).isTrue();
        assertThat(process.getAttributes().get(DESTINATION)).isEqualTo(RAW);
        assertThat(process.getAttributes().get(GROUP)).isEqualTo("e2e-raw");
        assertThat(got.span()).isEqualTo(process.getSpanContext());
    }

    @Test
    void aHeaderlessPeerCarriesTheContextInItsJsonPayloadWhichTheHandlerDoesNotSee() throws Exception {
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        Connection subscriberConnection = connect();
        closeLater(new TracedNatsInterfaces_EmbeddedContext(new NatsInterfaces.EmbeddedContext() {
            @Override
            public void onQuote(Quote quote) {
                received.add(new Received(quote, null, Span.current().getSpanContext()));
            }

            @Override
            public void onText(String text) {
                received.add(new Received(text, null, Span.current().getSpanContext()));
            }
        }, options).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection peer = connect();
        String quoteTrace = IDS.generateTraceId();
        String quoteParent = IDS.generateSpanId();
        String textTrace = IDS.generateTraceId();
        String textParent = IDS.generateSpanId();

        // Record payloads are decoded strictly (unknown fields fail), so the quote decodes only without the field.
        peer.publish(EMBEDDED_QUOTES, json("{\"symbol\":\"ACME\",\"cents\":7,\"_otel_trace_headers\":"
                + "{\"traceparent\":\"00-" + quoteTrace + "-" + quoteParent + "-01\"}}"));
        peer.publish(EMBEDDED_TEXT, json("{\"note\":\"continued\",\"_otel_trace_headers\":"
                + "{\"traceparent\":\"00-" + textTrace + "-" + textParent + "-01\"}}"));
        peer.publish(EMBEDDED_TEXT, json("not json at all"));
        peer.publish(EMBEDDED_TEXT, json("{\"note\":\"malformed\",\"_otel_trace_headers\":"
                + "{\"traceparent\":\"00-not-a-trace-01\"}}"));
        peer.publish(EMBEDDED_TEXT, json("{\"note\":\"not an object\",\"_otel_trace_headers\":\"00-x\"}"));
        peer.flush(Duration.ofSeconds(5));

        Received quote = poll(received);
        assertThat(quote.payload()).isEqualTo(new Quote("ACME", 7));
        SpanData quoteSpan = spanOf(quote);
        assertThat(quoteSpan.getName()).isEqualTo("process " + EMBEDDED_QUOTES);
        assertThat(quoteSpan.getTraceId()).isEqualTo(quoteTrace);
        assertThat(quoteSpan.getParentSpanId()).isEqualTo(quoteParent);

        Received continued = poll(received);
        JsonNode continuedJson = JSON.readTree((String) continued.payload());
        assertThat(continuedJson.get("note").asText()).isEqualTo("continued");
        assertThat(continuedJson.has("_otel_trace_headers")).as("the field is removed").isFalse();
        SpanData continuedSpan = spanOf(continued);
        assertThat(continuedSpan.getTraceId()).isEqualTo(textTrace);
        assertThat(continuedSpan.getParentSpanId()).isEqualTo(textParent);

        Received notJson = poll(received);
        assertThat(notJson.payload()).isEqualTo("not json at all");
        Received malformed = poll(received);
        assertThat(JSON.readTree((String) malformed.payload()).get("note").asText()).isEqualTo("malformed");
        Received notAnObject = poll(received);
        assertThat(JSON.readTree((String) notAnObject.payload()).get("note").asText()).isEqualTo("not an object");
        for (Received fresh : List.of(notJson, malformed, notAnObject)) {
            SpanData span = spanOf(fresh);
            assertThat(span.getParentSpanContext().isValid()).as("%s has no parent", fresh.payload()).isFalse();
            assertThat(span.getTraceId()).isNotIn(quoteTrace, textTrace);
            assertThat(span.getStatus().getStatusCode()).isNotEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
        }
    }

    @Test
    void aPublisherCanEmbedTheContextInJsonPayloadsForHeaderlessPeers() throws Exception {
        Connection peer = connect();
        io.nats.client.Subscription raw = peer.subscribe(EMBEDDING_OUT);
        peer.flush(Duration.ofSeconds(5));
        NatsInterfaces.EmbeddingPublisher publisher = new TracedNatsInterfaces_EmbeddingPublisher(connect(),
                options.toBuilder().embedContextInPayload(true).build());

        Span caller = tracer().spanBuilder("caller").startSpan();
        Scope scope = Context.current().with(caller).with(Baggage.builder().put("customer", "c-7").build())
                .makeCurrent();
        try {
            publisher.send(new Quote("ACME", 9));
        } finally {
            scope.close();
            caller.end();
        }

        Message message = raw.nextMessage(Duration.ofSeconds(10));
        assertThat(message).as("the raw subscriber got the message").isNotNull();
        SpanData publish = awaitSpan("publish " + EMBEDDING_OUT);
        String traceparent = "00-" + publish.getTraceId() + "-" + publish.getSpanId() + "-"
                + publish.getSpanContext().getTraceFlags().asHex();
        JsonNode body = JSON.readTree(message.getData());
        assertThat(body.get("symbol").asText()).isEqualTo("ACME");
        assertThat(body.get("cents").asLong()).isEqualTo(9);
        assertThat(body.path("_otel_trace_headers").path("traceparent").asText()).isEqualTo(traceparent);
        assertThat(body.path("_otel_trace_headers").path("baggage").asText()).isEqualTo("customer=c-7");
        assertThat(message.getHeaders().get("traceparent")).containsExactly(traceparent);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static Received poll(BlockingQueue<Received> received) throws InterruptedException {
        Received next = received.poll(30, TimeUnit.SECONDS);
        assertThat(next).as("the next message was handled").isNotNull();
        return next;
    }

    /** The finished span a handler ran in. */
    private SpanData spanOf(Received received) throws InterruptedException {
        String spanId = received.span().getSpanId();
        return awaitSpans(spans -> spans.stream().anyMatch(s -> s.getSpanId().equals(spanId))).stream()
                .filter(s -> s.getSpanId().equals(spanId)).findFirst().orElseThrow();
    }
}
