package dev.tracewire.sample.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The trace of one shipment through the shipping flow, whichever way it was wired: the caller's
 * span, the Kafka send, its process span (the packer, which publishes the parcel on NATS), the NATS
 * publish and its process span (the courier).
 */
public final class ShippingTrace {

    private ShippingTrace() {
    }

    /**
     * The spans of {@code traceId} as "KIND name <- parent name" lines in start order, with the
     * wiring's prefix taken out of destinations ({@code spring-shipments} is {@code shipments}), so
     * that traces of different wirings compare equal when their shapes are.
     */
    public static List<String> shape(List<SpanData> spans, String traceId) {
        List<SpanData> trace = spans.stream().filter(span -> span.getTraceId().equals(traceId))
                .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos())).toList();
        Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
        return trace.stream().map(span -> {
            SpanData parent = byId.get(span.getParentSpanId());
            return span.getKind() + " " + normalized(span.getName())
                    + (parent == null ? "" : " <- " + normalized(parent.getName()));
        }).toList();
    }

    /** The shape every wiring must produce. */
    public static List<String> expected() {
        return List.of(
                "INTERNAL ship",
                "PRODUCER send shipments <- ship",
                "CONSUMER process shipments <- send shipments",
                "PRODUCER publish parcels <- process shipments",
                "CONSUMER process parcels <- publish parcels");
    }

    /**
     * Checks the trace of a shipment: one trace from the caller's span to the courier, each span the
     * child of the one before, and each handler running inside its process span.
     */
    public static void assertOneTrace(List<SpanData> spans, SpanData caller, Deliveries.Handled shipment,
            Deliveries.Handled parcel) {
        String traceId = caller.getTraceId();
        assertThat(shape(spans, traceId)).containsExactlyElementsOf(expected());
        SpanData processShipment = only(spans, traceId, SpanKind.CONSUMER, "shipments");
        SpanData processParcel = only(spans, traceId, SpanKind.CONSUMER, "parcels");
        assertThat(shipment.span().getTraceId()).isEqualTo(traceId);
        assertThat(shipment.span().getSpanId()).isEqualTo(processShipment.getSpanId());
        assertThat(parcel.span().getTraceId()).isEqualTo(traceId);
        assertThat(parcel.span().getSpanId()).isEqualTo(processParcel.getSpanId());
        assertThat(only(spans, traceId, SpanKind.PRODUCER, "shipments").getParentSpanId())
                .isEqualTo(caller.getSpanId());
    }

    private static SpanData only(List<SpanData> spans, String traceId, SpanKind kind, String destination) {
        List<SpanData> found = spans.stream()
                .filter(span -> span.getTraceId().equals(traceId) && span.getKind() == kind
                        && normalized(span.getName()).endsWith(" " + destination))
                .toList();
        assertThat(found).as("%s spans of %s", kind, destination).hasSize(1);
        return found.get(0);
    }

    private static String normalized(String name) {
        return name.replaceAll("(spring|plain|dagger)[-.]", "");
    }
}
