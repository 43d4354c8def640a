package dev.tracewire.sample.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Sends many messages from several threads through one generated publisher and checks what the
 * tracing contract promises under load: every span started is ended once, one send span per
 * message and one process span per handling, each process span the child of its message's send
 * span, and no context left behind on any thread. Each message is tied to its spans by the baggage
 * entry {@link SpanLedger#MESSAGE_ID}, set around its send and carried to the handler.
 */
public final class LoadDriver {

    /** How many messages a load test sends: the system property {@code tracewire.load.messages}, else 100,000. */
    public static final int MESSAGES = Integer.getInteger("tracewire.load.messages", 100_000);
    public static final int THREADS = 8;
    /** Asynchronous sends one thread keeps unacknowledged at most. */
    private static final int WINDOW = 1_000;

    private final SpanLedger ledger = new SpanLedger();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(ledger).build())
            .setPropagators(ContextPropagators.create(TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
            .build();
    private final int messages;
    private final AtomicIntegerArray handledTimes;
    private final LongAdder handled = new LongAdder();
    private final LongAdder handledFirstTime = new LongAdder();
    private final LongAdder wrongHandlerContext = new LongAdder();
    private final Map<String, LongAdder> byMember = new ConcurrentHashMap<>();
    private final LongAdder acknowledged = new LongAdder();
    private final LongAdder failedSends = new LongAdder();
    private final LongAdder wrongContextAfterSend = new LongAdder();
    private final LongAdder wrongContextInDependent = new LongAdder();
    private final LongAdder threadsNotAtRoot = new LongAdder();
    private long publishNanos;

    public LoadDriver(int messages) {
        this.messages = messages;
        this.handledTimes = new AtomicIntegerArray(messages);
    }

    public OpenTelemetrySdk sdk() {
        return sdk;
    }

    /** The id of message {@code index}, used as its key, payload and baggage entry. */
    public static String id(int index) {
        return Integer.toString(index);
    }

    /**
     * Called by the handler of {@code member} for the message {@code id}: counts it and checks that
     * the handler runs inside a span, in the context of its own message.
     */
    public void handled(String member, String id) {
        if (!Span.current().getSpanContext().isValid() || !id.equals(Baggage.current().getEntryValue(
                SpanLedger.MESSAGE_ID))) {
            wrongHandlerContext.increment();
        }
        if (handledTimes.getAndIncrement(Integer.parseInt(id)) == 0) {
            handledFirstTime.increment();
        }
        handled.increment();
        byMember.computeIfAbsent(member, m -> new LongAdder()).increment();
    }

    /**
     * Sends every message from {@link #THREADS} threads, each message inside a context carrying its
     * id; {@code send} returns the publisher's future, or {@code null} for a method that returns
     * nothing. Returns once every thread has sent its share and every future completed.
     */
    public void publish(IntFunction<CompletableFuture<?>> send) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            Thread thread = new Thread(() -> sendShare(first, send), "load-publisher-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        publishNanos = System.nanoTime() - start;
    }

    private void sendShare(int first, IntFunction<CompletableFuture<?>> send) {
        Semaphore window = new Semaphore(WINDOW);
        for (int i = first; i < messages; i += THREADS) {
            String id = id(i);
            Context context = Context.root().with(Baggage.builder().put(SpanLedger.MESSAGE_ID, id).build());
            window.acquireUninterruptibly();
            Scope scope = context.makeCurrent();
            try {
                CompletableFuture<?> future = send.apply(i);
                if (Context.current() != context) {
                    wrongContextAfterSend.increment();
                }
                if (future == null) {
                    acknowledged.increment();
                    window.release();
                } else {
                    future.whenComplete((result, error) -> completed(id, error, window));
                }
            } catch (RuntimeException e) {
                failedSends.increment();
                window.release();
            } finally {
                scope.close();
            }
        }
        window.acquireUninterruptibly(WINDOW);
        if (Context.current() != Context.root()) {
            threadsNotAtRoot.increment();
        }
    }

    /** A send's future completed: its dependent must run in the context the send was called in. */
    private void completed(String id, Throwable error, Semaphore window) {
        if (error != null) {
            failedSends.increment();
        } else {
            acknowledged.increment();
        }
        if (!id.equals(Baggage.current().getEntryValue(SpanLedger.MESSAGE_ID))) {
            wrongContextInDependent.increment();
        }
        window.release();
    }

    /** Waits up to {@code timeout} until every message was handled at least once. */
    public void awaitHandled(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handledFirstTime.sum() < messages) {
            assertThat(System.nanoTime()).as("%d of %d messages handled", handledFirstTime.sum(), messages)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /**
     * Checks the spans and contexts of the run, and prints what it took; {@code system} names the
     * run in the output. Call after the consumers are closed.
     */
    public void check(String system, String sendSpan, String processSpan, long sinceNanos, int members) {
        long elapsed = System.nanoTime() - sinceNanos;
        long duplicates = handled.sum() - handledFirstTime.sum();
        List<SpanLedger.Entry> sends = ledger.named(sendSpan);
        List<SpanLedger.Entry> processes = ledger.named(processSpan);
        System.out.printf("[tracewire tests] load %s: %d messages from %d threads; published in %d ms (%.0f/s), "
                        + "all handled after %d ms (%.0f/s); acknowledged %d, failed sends %d, handled %d "
                        + "(duplicates %d) by %s; spans started %d, ended %d%n",
                system, messages, THREADS, TimeUnit.NANOSECONDS.toMillis(publishNanos),
                messages * 1e9 / publishNanos, TimeUnit.NANOSECONDS.toMillis(elapsed), messages * 1e9 / elapsed,
                acknowledged.sum(), failedSends.sum(), handled.sum(), duplicates, byMember, ledger.started(),
                ledger.ended());

        assertThat(failedSends.sum()).as("failed sends").isZero();
        assertThat(acknowledged.sum()).as("acknowledged sends").isEqualTo(messages);
        assertThat(handledFirstTime.sum()).as("messages handled").isEqualTo(messages);
        assertThat(byMember).as("members that handled messages").hasSize(members);
        assertThat(ledger.open()).as("spans started and never ended").isEmpty();
        assertThat(ledger.endedUnknown()).as("spans ended twice or never started").isZero();
        assertThat(ledger.ended()).isEqualTo(ledger.started());
        assertThat(ledger.failed()).as("failed spans").isZero();
        assertThat(sends).as("send spans").hasSize(messages);
        assertThat(processes).as("process spans: one per handling").hasSize((int) handled.sum());
        assertThat(ledger.started()).as("no other span").isEqualTo(sends.size() + processes.size());

        Map<String, SpanLedger.Entry> sendOf = new HashMap<>();
        for (SpanLedger.Entry send : sends) {
            assertThat(send.kind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(sendOf.put(send.messageId(), send)).as("a second send span for %s", send.messageId()).isNull();
        }
        List<String> orphans = new ArrayList<>();
        for (SpanLedger.Entry process : processes) {
            SpanLedger.Entry send = sendOf.get(process.messageId());
            if (process.kind() != SpanKind.CONSUMER || send == null || !send.spanId().equals(process.parentSpanId())
                    || !send.traceId().equals(process.traceId())) {
                orphans.add(process + " / " + send);
            }
        }
        assertThat(orphans).as("process spans that are not the child of their message's send span").isEmpty();
        assertThat(wrongContextAfterSend.sum()).as("sends that left another context current").isZero();
        assertThat(wrongContextInDependent.sum()).as("future dependents not run in the caller's context").isZero();
        assertThat(threadsNotAtRoot.sum()).as("publisher threads not back at the root context").isZero();
        assertThat(wrongHandlerContext.sum()).as("handlers not in their message's context").isZero();
    }

    public void close() {
        sdk.close();
    }
}
