package dev.tracewire.runtime.nats.internal;

import static dev.tracewire.runtime.nats.internal.NatsDispatcherTest.headers;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.testing.FakeConnection;
import dev.tracewire.runtime.testing.FakeMessage;
import dev.tracewire.runtime.testing.LogCapture;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Tracing never costs a NATS message: with a propagator that throws on inject or extract, a
 * sampler that throws, or a span processor that throws when a span starts or ends (the SDK lets
 * both through to the caller of {@code startSpan} and {@code end}), every publish of every return
 * kind still goes out and completes as promised, every received message is still handled once
 * (in a new trace when its context cannot be read) and its payload field still removed, every
 * span that was started is ended, the caller's context stays as it was, and the failure is
 * logged once per client, not per message.
 */
class NatsBrokenTracingTest {

    private static final int MESSAGES = 3;
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-b7ad6b7169203331-01";
    private static final String INSTRUMENTS_LOGGER = "dev.tracewire.runtime.internal.Instruments";

    /** Which tracing component throws. */
    enum Fault {
        INJECT, EXTRACT, SAMPLER, SPAN_START, SPAN_END
    }

    /** A JSON payload; decoding fails on any field it does not have. */
    public record Order(String id) {
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyPublishOfEveryReturnKindGoesOutAndCompletesNormally(Fault fault) throws Exception {
        FakeConnection connection = FakeConnection.connectedTo("nats://127.0.0.1:4222")
                .respond("prices", request -> new NatsMessage(request.getReplyTo(), null, null, "42".getBytes(UTF_8)));
        connection.jetStream().acknowledgeIn("ORDERS");
        try (BrokenSdk broken = new BrokenSdk(fault);
                LogCapture log = LogCapture.of(INSTRUMENTS_LOGGER, Level.ALL)) {
            NatsPublisher publisher = new NatsPublisher(connection, options(broken).embedContextInPayload(true).build());
            NatsSender<Order> sender = publisher.sender("orders", Order.class);
            NatsRequester<String, String> requester = publisher.requester("prices", String.class, String.class);
            List<CompletableFuture<PublishAck>> acks = new ArrayList<>();
            List<CompletableFuture<String>> replies = new ArrayList<>();

            for (int i = 0; i < MESSAGES; i++) {
                sender.publish(sender.headers(), new Order("o-" + i));
                assertThat(sender.publishToStream(sender.headers(), new Order("s-" + i)).getStream()).isEqualTo("ORDERS");
                acks.add(sender.publishToStreamAsync(null, new Order("a-" + i)));
                assertThat(requester.request(requester.headers(), "sku-" + i)).isEqualTo("42");
                replies.add(requester.requestAsync(null, "sku-" + i));
                assertThat(Context.current()).isSameAs(Context.root());
            }

            for (CompletableFuture<PublishAck> ack : acks) {
                assertThat(ack.get(5, TimeUnit.SECONDS).getStream()).isEqualTo("ORDERS");
            }
            for (CompletableFuture<String> reply : replies) {
                assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("42");
            }
            assertThat(connection.published("orders")).hasSize(MESSAGES);
            assertThat(connection.jetStream().published()).hasSize(2 * MESSAGES);
            assertThat(connection.requests()).hasSize(2 * MESSAGES);
            broken.assertEverySpanEndedOnce(5 * MESSAGES);
            assertLoggedOnceIfItFailed(fault, broken, log);

            List<NatsMessage> sent = new ArrayList<>(connection.published());
            sent.addAll(connection.jetStream().published());
            connection.requests().forEach(request -> sent.add(request.message()));
            boolean contextGoesOut = fault == Fault.EXTRACT || fault == Fault.SPAN_END;
            assertThat(sent).allSatisfy(message -> {
                assertThat(message.hasHeaders() && message.getHeaders().containsKey("traceparent"))
                        .as("traceparent header").isEqualTo(contextGoesOut);
                assertThat(new String(message.getData(), UTF_8).contains("_otel_trace_headers"))
                        .as("context in the payload of %s", message.getSubject())
                        .isEqualTo(contextGoesOut && !message.getSubject().equals("prices"));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyReceivedMessageIsHandledOnce(Fault fault) throws Exception {
        FakeConnection connection = FakeConnection.connectedTo("nats://127.0.0.1:4222");
        List<String> handled = new ArrayList<>();
        List<SpanContext> spansInHandler = new ArrayList<>();
        try (BrokenSdk broken = new BrokenSdk(fault);
                LogCapture log = LogCapture.of(INSTRUMENTS_LOGGER, Level.ALL)) {
            NatsDispatcher dispatcher = NatsDispatcher.builder("com.example.Handler", "", options(broken).build())
                    .route("orders", Order.class, (order, message) -> {
                        handled.add(order.id());
                        spansInHandler.add(Span.current().getSpanContext());
                    })
                    .routeStream("stream.orders", "ORDERS", Order.class, (order, message) -> handled.add(order.id()))
                    .respond("prices", String.class, String.class, (sku, message) -> {
                        handled.add(sku);
                        return "42";
                    })
                    .build();

            for (int i = 0; i < MESSAGES; i++) {
                dispatcher.handle(FakeMessage.core(connection, "orders", headers("traceparent", TRACEPARENT),
                        ("{\"id\":\"h-" + i + "\"}").getBytes(UTF_8)), RuntimeException.class);
                dispatcher.handle(FakeMessage.core(connection, "orders", null,
                        ("{\"_otel_trace_headers\":{\"traceparent\":\"" + TRACEPARENT + "\"},\"id\":\"p-" + i + "\"}")
                                .getBytes(UTF_8)), RuntimeException.class);
                dispatcher.handle(FakeMessage.fromStream(connection, "stream.orders", headers("traceparent", TRACEPARENT),
                        ("{\"id\":\"s-" + i + "\"}").getBytes(UTF_8), "ORDERS", "c", i + 1, 1), RuntimeException.class);
                dispatcher.handle(FakeMessage.request(connection, "prices", "_INBOX.r" + i,
                        headers("traceparent", TRACEPARENT), ("sku-" + i).getBytes(UTF_8)), RuntimeException.class);
                assertThat(Context.current()).isSameAs(Context.root());
            }

            assertThat(handled).hasSize(4 * MESSAGES).contains("h-0", "p-0", "s-0", "sku-0", "p-2");
            assertThat(connection.published()).hasSize(MESSAGES)
                    .allSatisfy(reply -> assertThat(new String(reply.getData(), UTF_8)).isEqualTo("42"));
            broken.assertEverySpanEndedOnce(4 * MESSAGES);
            assertLoggedOnceIfItFailed(fault, broken, log);
            if (fault == Fault.EXTRACT) {
                assertThat(spansInHandler).as("each in a new trace").allSatisfy(span -> {
                    assertThat(span.isValid()).isTrue();
                    assertThat(span.getTraceId()).isNotEqualTo(TRACE_ID);
                });
            }
            if (fault == Fault.INJECT || fault == Fault.SPAN_END) {
                assertThat(spansInHandler).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
            }
        }
    }

    private static TracewireOptions.Builder options(BrokenSdk broken) {
        return TracewireOptions.builder().openTelemetry(broken.openTelemetry());
    }

    /**
     * A component that throws whenever it is used logs one warning for the client, however many
     * messages went through it; a component that was never used (extract, when only publishing)
     * logs nothing.
     */
    private static void assertLoggedOnceIfItFailed(Fault fault, BrokenSdk broken, LogCapture log) {
        if (broken.thrown() == 0) {
            assertThat(fault).isEqualTo(Fault.EXTRACT);
            assertThat(log.records()).isEmpty();
            return;
        }
        assertThat(broken.thrown()).as("the component failed for every message").isGreaterThanOrEqualTo(MESSAGES);
        assertThat(log.records()).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("tracing component failed");
            assertThat(record.getThrown()).hasMessageStartingWith("broken ");
        });
    }

    /**
     * An SDK with one broken component, which counts the spans it started and ended. The span
     * processor counts a start only once it returned (a span whose start threw never reaches the
     * caller, so nobody can end it) and an end before it throws (the SDK marked the span ended).
     */
    private static final class BrokenSdk implements AutoCloseable {

        private final Fault fault;
        private final AtomicInteger started = new AtomicInteger();
        private final AtomicInteger ended = new AtomicInteger();
        private final AtomicInteger thrown = new AtomicInteger();
        private final OpenTelemetrySdk sdk;
        private final LogCapture spanMisuse = LogCapture.of("io.opentelemetry.sdk.trace.SdkSpan", Level.FINE);

        BrokenSdk(Fault fault) {
            this.fault = fault;
            SdkTracerProviderBuilder tracing = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
                @Override
                public void onStart(Context parentContext, ReadWriteSpan span) {
                    if (fault == Fault.SPAN_START) {
                        throw fail("span processor");
                    }
                    started.incrementAndGet();
                }

                @Override
                public boolean isStartRequired() {
                    return true;
                }

                @Override
                public void onEnd(ReadableSpan span) {
                    ended.incrementAndGet();
                    if (fault == Fault.SPAN_END) {
                        throw fail("span processor");
                    }
                }

                @Override
                public boolean isEndRequired() {
                    return true;
                }
            });
            if (fault == Fault.SAMPLER) {
                tracing.setSampler(new Sampler() {
                    @Override
                    public SamplingResult shouldSample(Context parentContext, String traceId, String name,
                            SpanKind spanKind, Attributes attributes, List<LinkData> parentLinks) {
                        throw fail("sampler");
                    }

                    @Override
                    public String getDescription() {
                        return "throws";
                    }
                });
            }
            TextMapPropagator w3c = W3CTraceContextPropagator.getInstance();
            TextMapPropagator propagator = new TextMapPropagator() {
                @Override
                public Collection<String> fields() {
                    return w3c.fields();
                }

                @Override
                public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
                    if (fault == Fault.INJECT) {
                        throw fail("propagator");
                    }
                    w3c.inject(context, carrier, setter);
                }

                @Override
                public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
                    if (fault == Fault.EXTRACT) {
                        throw fail("propagator");
                    }
                    return w3c.extract(context, carrier, getter);
                }
            };
            this.sdk = OpenTelemetrySdk.builder()
                    .setTracerProvider(tracing.build())
                    .setPropagators(ContextPropagators.create(propagator))
                    .build();
        }

        private IllegalStateException fail(String component) {
            thrown.incrementAndGet();
            return new IllegalStateException("broken " + component);
        }

        OpenTelemetry openTelemetry() {
            return sdk;
        }

        int thrown() {
            return thrown.get();
        }

        /** Checks that {@code expected} spans started, or none when starting a span throws, and all ended once. */
        void assertEverySpanEndedOnce(int expected) {
            boolean startFails = fault == Fault.SAMPLER || fault == Fault.SPAN_START;
            assertThat(started.get()).as("spans started").isEqualTo(startFails ? 0 : expected);
            assertThat(ended.get()).as("spans ended (every started span must end)").isEqualTo(started.get());
            assertThat(spanMisuse.messages()).as("spans used after they ended").isEmpty();
        }

        @Override
        public void close() {
            spanMisuse.close();
            sdk.close();
        }
    }
}
