package dev.tracewire.sample.support;

import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * A span processor for tests that send many messages: counts every span started and ended, keeps
 * the spans still open, and records a few small facts of each span (not the whole span data, which
 * for hundreds of thousands of spans costs more than the test). A span is tied to its message by
 * the baggage entry {@value #MESSAGE_ID} of the context it starts in: the caller's context for a
 * send span, the context extracted from the message for a process span.
 */
public final class SpanLedger implements SpanProcessor {

    /** The baggage entry that names the message a span belongs to. */
    public static final String MESSAGE_ID = "test.message.id";
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** What is kept of one span. */
    public record Entry(String name, SpanKind kind, String traceId, String spanId, String parentSpanId,
            String messageId) {
    }

    private final LongAdder started = new LongAdder();
    private final LongAdder ended = new LongAdder();
    private final LongAdder endedUnknown = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Map<String, Entry> open = new ConcurrentHashMap<>();
    private final Queue<Entry> entries = new ConcurrentLinkedQueue<>();
    private final boolean keepEntries;

    /** A ledger that keeps an {@link Entry} of every span. */
    public SpanLedger() {
        this(true);
    }

    private SpanLedger(boolean keepEntries) {
        this.keepEntries = keepEntries;
    }

    /** A ledger that only counts, and keeps the spans still open: for millions of spans. */
    public static SpanLedger counting() {
        return new SpanLedger(false);
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        started.increment();
        Entry entry = new Entry(span.getName(), span.getKind(), span.getSpanContext().getTraceId(),
                span.getSpanContext().getSpanId(), span.getParentSpanContext().getSpanId(),
                Baggage.fromContext(parentContext).getEntryValue(MESSAGE_ID));
        open.put(entry.spanId(), entry);
        if (keepEntries) {
            entries.add(entry);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
        ended.increment();
        if (open.remove(span.getSpanContext().getSpanId()) == null) {
            endedUnknown.increment();
        }
        if (span.getAttribute(ERROR_TYPE) != null) {
            failed.increment();
        }
    }

    @Override
    public boolean isEndRequired() {
        return true;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode forceFlush() {
        return CompletableResultCode.ofSuccess();
    }

    public long started() {
        return started.sum();
    }

    public long ended() {
        return ended.sum();
    }

    /** Ends of spans that were not open: started elsewhere, or ended a second time. */
    public long endedUnknown() {
        return endedUnknown.sum();
    }

    /** The spans ended as failures (those tracewire gives an {@code error.type}). */
    public long failed() {
        return failed.sum();
    }

    /** The spans started and not ended yet. */
    public List<Entry> open() {
        return new ArrayList<>(open.values());
    }

    /** Every span started so far, in start order per thread. */
    public List<Entry> entries() {
        return new ArrayList<>(entries);
    }

    /** The spans named {@code name}. */
    public List<Entry> named(String name) {
        return entries.stream().filter(entry -> entry.name().equals(name)).toList();
    }
}
