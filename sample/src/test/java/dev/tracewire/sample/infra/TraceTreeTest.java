package dev.tracewire.sample.infra;

import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TraceTreeTest {

    /** An arbitrary instant, so that every duration and offset below is exact. */
    private static final long T0 = 1_700_000_000_000_000_000L;

    private final TraceTree tree = new TraceTree();
    private Telemetry telemetry;
    private Tracer tracer;

    @BeforeEach
    void setUp() {
        telemetry = Telemetry.create("trace-tree-test", tree, Map.of());
        tracer = telemetry.tracer("trace-tree-test");
    }

    @AfterEach
    void tearDown() {
        telemetry.close();
    }

    @Test
    void rendersEachTraceAsAnIndentedTreeWithChildrenInStartOrder() {
        Span root = span("place-order", SpanKind.INTERNAL, Context.root(), 0);
        Context inRoot = Context.root().with(root);
        // Created (and ended) in the opposite order of their start times.
        Span consumer = span("process orders", SpanKind.CONSUMER, inRoot, 4_300_000);
        Span producer = span("send orders", SpanKind.PRODUCER, inRoot, 200_000);
        Span charge = span("charge", SpanKind.CLIENT, Context.root().with(consumer), 5_000_000);

        producer.setAttribute("messaging.destination.name", "orders");
        producer.setAttribute("messaging.destination.partition.id", "0");
        producer.setAttribute("messaging.kafka.offset", 41L);
        producer.setAttribute("messaging.system", "kafka"); // not shown
        consumer.setAttribute("messaging.destination.name", "orders");
        consumer.setAttribute("messaging.consumer.group.name", "billing");
        consumer.setAttribute("error.type", "java.lang.IllegalStateException");
        consumer.setStatus(StatusCode.ERROR, "no stock");

        end(charge, 6_000_000);
        end(consumer, 12_300_000);
        end(producer, 3_300_000);
        end(root, 12_400_000);

        String traceId = root.getSpanContext().getTraceId();
        assertThat(tree.render()).isEqualTo(String.join("\n",
                "trace " + traceId + " (4 spans, 12.4 ms)",
                "  place-order [INTERNAL] 12.4 ms @+0.0 ms",
                "    send orders [PRODUCER] 3.1 ms @+0.2 ms destination=orders partition=0 offset=41",
                "    process orders [CONSUMER] 8.0 ms @+4.3 ms destination=orders group=billing"
                        + " ERROR error.type=java.lang.IllegalStateException \"no stock\"",
                "      charge [CLIENT] 1.0 ms @+5.0 ms",
                ""));
    }

    @Test
    void showsSpansWhoseParentWasNotCollectedAsRootsAndOrdersTracesByStart() {
        SpanContext missingInOtherTrace = SpanContext.createFromRemoteParent(
                "11111111111111111111111111111111", "2222222222222222", TraceFlags.getSampled(), TraceState.getDefault());
        Span continued = span("process invoices", SpanKind.CONSUMER, Context.root().with(Span.wrap(missingInOtherTrace)), 0);
        Span handler = span("handle", SpanKind.INTERNAL, Context.root().with(continued), 1_000_000);

        Span local = span("later-trace", SpanKind.INTERNAL, Context.root(), 50_000_000);
        SpanContext missingInLocalTrace = SpanContext.create(local.getSpanContext().getTraceId(),
                "3333333333333333", TraceFlags.getSampled(), TraceState.getDefault());
        Span orphan = span("orphan", SpanKind.INTERNAL, Context.root().with(Span.wrap(missingInLocalTrace)), 49_000_000);

        end(local, 52_000_000);
        end(orphan, 49_500_000);
        end(handler, 2_000_000);
        end(continued, 3_000_000);

        assertThat(tree.render()).isEqualTo(String.join("\n",
                "trace 11111111111111111111111111111111 (2 spans, 3.0 ms)",
                "  process invoices [CONSUMER] 3.0 ms @+0.0 ms (parent 2222222222222222 not collected)",
                "    handle [INTERNAL] 1.0 ms @+1.0 ms",
                "trace " + local.getSpanContext().getTraceId() + " (2 spans, 3.0 ms)",
                "  orphan [INTERNAL] 0.5 ms @+0.0 ms (parent 3333333333333333 not collected)",
                "  later-trace [INTERNAL] 2.0 ms @+1.0 ms",
                ""));
    }

    @Test
    void showsLinkCountsAndBatchSize() {
        Span first = span("send a", SpanKind.PRODUCER, Context.root(), 0);
        end(first, 1_000_000);
        Span batch = tracer.spanBuilder("process a").setSpanKind(SpanKind.CONSUMER).setNoParent()
                .setStartTimestamp(T0 + 2_000_000, NANOSECONDS)
                .addLink(first.getSpanContext())
                .addLink(SpanContext.create("44444444444444444444444444444444", "5555555555555555",
                        TraceFlags.getSampled(), TraceState.getDefault()))
                .setAttribute("messaging.batch.message_count", 2L)
                .startSpan();
        end(batch, 3_000_000);

        assertThat(tree.render()).contains("process a [CONSUMER] 1.0 ms @+0.0 ms batch=2 links=2\n");
    }

    @Test
    void spansResetAndAwait() throws Exception {
        assertThat(tree.render()).isEmpty();
        end(span("one", SpanKind.INTERNAL, Context.root(), 0), 1);
        end(span("two", SpanKind.INTERNAL, Context.root(), 0), 1);

        assertThat(tree.spans()).extracting(SpanData::getName).containsExactly("one", "two");
        assertThat(tree.awaitSpans(2, Duration.ofMillis(1))).hasSize(2);
        assertThatThrownBy(() -> tree.awaitSpans(3, Duration.ofMillis(50)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("expected at least 3 spans")
                .hasMessageContaining("one [INTERNAL]");

        tree.reset();
        assertThat(tree.spans()).isEmpty();
        assertThat(tree.render()).isEmpty();
    }

    @Test
    void awaitSpansWakesUpWhenSpansArriveFromAnotherThread() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<List<SpanData>> awaited = executor.submit(() -> tree.awaitSpans(1, Duration.ofSeconds(10)));
            Thread.sleep(50);
            assertThat(awaited).isNotDone();
            end(span("late", SpanKind.INTERNAL, Context.root(), 0), 1);
            assertThat(awaited.get(5, TimeUnit.SECONDS)).extracting(SpanData::getName).containsExactly("late");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void collectsSpansEndedConcurrently() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                futures.add(executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        tracer.spanBuilder("s").startSpan().end();
                        if (i % 125 == 0) {
                            tree.render(); // reading while others write must not fail
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(tree.spans()).hasSize(threads * perThread);
        assertThat(tree.render().lines().filter(line -> line.startsWith("trace "))).hasSize(threads * perThread);
    }

    private Span span(String name, SpanKind kind, Context parent, long startOffsetNanos) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent)
                .setStartTimestamp(T0 + startOffsetNanos, NANOSECONDS).startSpan();
    }

    private static void end(Span span, long endOffsetNanos) {
        span.end(T0 + endOffsetNanos, NANOSECONDS);
    }
}
