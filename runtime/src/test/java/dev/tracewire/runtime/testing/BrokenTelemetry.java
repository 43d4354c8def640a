package dev.tracewire.runtime.testing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
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
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tracing components that fail the way a buggy propagator, sampler or span processor does, around
 * an SDK that counts the spans it started and ended. Tracewire must send and handle every message
 * regardless, and end every span it started.
 */
public final class BrokenTelemetry implements AutoCloseable {

    /** Which component throws. */
    public enum Fault {
        /** The propagator throws on inject. */
        INJECT,
        /** The propagator throws on extract. */
        EXTRACT,
        /** The sampler throws, so no span can start. */
        SAMPLER,
        /** A span processor throws when a span ends (after the SDK marked it ended). */
        SPAN_END
    }

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AtomicInteger thrown = new AtomicInteger();
    private final OpenTelemetrySdk sdk;

    public BrokenTelemetry(Fault fault) {
        SdkTracerProviderBuilder tracing = SdkTracerProvider.builder().addSpanProcessor(new SpanProcessor() {
            @Override
            public void onStart(Context parentContext, ReadWriteSpan span) {
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
                    throw fail("inject");
                }
                w3c.inject(context, carrier, setter);
            }

            @Override
            public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
                if (fault == Fault.EXTRACT) {
                    throw fail("extract");
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

    public OpenTelemetry openTelemetry() {
        return sdk;
    }

    /** Spans the SDK started. */
    public int started() {
        return started.get();
    }

    /** Spans the SDK ended. */
    public int ended() {
        return ended.get();
    }

    /** How many times the broken component threw. */
    public int thrown() {
        return thrown.get();
    }

    @Override
    public void close() {
        sdk.close();
    }
}
