package dev.tracewire.sample.nats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.runtime.Subscription;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.sample.infra.NatsServerProcess;
import dev.tracewire.sample.support.HeaderFuzz;
import dev.tracewire.sample.support.SharedNats;
import dev.tracewire.sample.support.SpanLedger;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages with fuzzed headers ({@link HeaderFuzz#nats}) published in NATS's own text protocol over
 * a plain socket (so that header values may hold control characters, as from any peer) through the
 * real server to a generated consumer: each message's handler runs exactly once, inside a span,
 * nothing escapes into jnats, and every span ends.
 */
@ExtendWith(SharedNats.Extension.class)
class NatsHeaderFuzzTest {

    static final String SUBJECT = "e2e.fuzz";
    private static final int CASES = 20_000;
    /** Messages published ahead of the handler at most, so that the server never drops a slow consumer's. */
    private static final int WINDOW = 2_000;

    @TracedConsumer
    interface FuzzHandler {
        @Subject(SUBJECT)
        void onText(String text, @Header("tenant") String tenant);
    }

    @Test
    void everyMessageIsHandledExactlyOnceWhateverItsHeaders(NatsServerProcess nats) throws Exception {
        long seed = HeaderFuzz.seed();
        System.out.printf("[tracewire tests] NATS header fuzz: %d cases, seed %d (-Dtracewire.fuzz.seed=%d)%n",
                CASES, seed, seed);
        HeaderFuzz fuzz = HeaderFuzz.nats(seed);
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
        Connection connection = Nats.connect(nats.url());
        Subscription subscription = new TracedNatsHeaderFuzzTest_FuzzHandler((text, tenant) -> {
            if (!Span.current().getSpanContext().isValid()) {
                outsideSpan.increment();
            }
            if (calls.getAndIncrement(Integer.parseInt(text)) == 0) {
                firstCalls.increment();
            }
        }, TracewireOptions.builder().openTelemetry(sdk).build()).start(connection);
        List<List<HeaderFuzz.Header>> cases = new ArrayList<>();
        try {
            connection.flush(Duration.ofSeconds(10));
            try (Socket socket = new Socket("127.0.0.1", nats.port())) {
                socket.setSoTimeout(30_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                assertThat(in.readLine()).startsWith("INFO ");
                out.write(("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                ping(in, out);
                for (int i = 0; i < CASES; i++) {
                    List<HeaderFuzz.Header> headers = fuzz.next();
                    cases.add(headers);
                    out.write(hpub(Integer.toString(i), headers));
                    if (i % 500 == 499) {
                        ping(in, out);
                        awaitAtLeast(firstCalls, i + 1 - WINDOW);
                    }
                }
                ping(in, out);
            }
            awaitAtLeast(firstCalls, CASES);
            Thread.sleep(200); // a message handled twice would show up by now
            assertThat(subscription.isRunning()).as("the consumer still runs").isTrue();
        } finally {
            subscription.close();
            connection.close();
            sdk.close();
        }

        List<String> notOnce = new ArrayList<>();
        for (int i = 0; i < CASES && notOnce.size() < 10; i++) {
            if (calls.get(i) != 1) {
                notOnce.add("case " + i + " handled " + calls.get(i) + " times, headers " + cases.get(i).stream()
                        .map(h -> h.name() + "=" + h.value().length + " bytes").toList());
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

    /** {@code HPUB} of one message: the headers as they are, bytes and all. */
    private static byte[] hpub(String payload, List<HeaderFuzz.Header> headers) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.writeBytes("NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII));
        for (HeaderFuzz.Header header : headers) {
            block.writeBytes((header.name() + ": ").getBytes(StandardCharsets.US_ASCII));
            block.writeBytes(header.value());
            block.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        block.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] body = payload.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(("HPUB " + SUBJECT + " " + block.size() + " " + (block.size() + body.length) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        message.writeBytes(block.toByteArray());
        message.writeBytes(body);
        message.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return message.toByteArray();
    }

    /** Sends PING and reads up to the PONG: the server has taken everything before it. */
    private static void ping(BufferedReader in, OutputStream out) throws IOException {
        out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            String line = in.readLine();
            assertThat(line).as("the server's answer").isNotNull().doesNotStartWith("-ERR");
            if (line.equals("PONG")) {
                return;
            }
            if (line.equals("PING")) {
                out.write("PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
    }

    private static void awaitAtLeast(LongAdder counter, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (counter.sum() < count) {
            assertThat(System.nanoTime()).as("%d of %d handled", counter.sum(), count).isLessThan(deadline);
            Thread.sleep(2);
        }
    }
}
