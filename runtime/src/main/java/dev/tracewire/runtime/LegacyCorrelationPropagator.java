package dev.tracewire.runtime;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads and writes the correlation headers of services that trace their own way, with a UUID
 * trace id and the list of services a request went through: {@code trace_id},
 * {@code services_encountered} (comma-separated) and {@code producer_service} on Kafka records, and
 * {@code X-Trace-ID} and {@code X-Services-Encountered} in HTTP style. Opt in by adding it to your
 * propagators, after W3C trace context while services migrate:
 *
 * <pre>{@code
 * TextMapPropagator propagator = TextMapPropagator.composite(
 *         W3CTraceContextPropagator.getInstance(),
 *         LegacyCorrelationPropagator.builder().serviceName("billing").build());
 * }</pre>
 *
 * <p><b>Reading.</b> A message whose trace context no earlier propagator found continues the trace
 * its {@code trace_id} (else {@code X-Trace-ID}) names: the UUID's 128 bits are the trace id. The
 * format carries no span id, so the parent span id is a stand-in, the UUID's last 64 bits (its first
 * 64 when those are zero), and the parent counts as sampled. A value that is not a UUID, or the nil
 * UUID, continues nothing. The service chain ({@code services_encountered}, else
 * {@code X-Services-Encountered}) is kept in the context, also when W3C headers carried the span,
 * so that what the handler sends extends it; {@link #servicesEncountered(Context)} reads it.
 *
 * <p><b>Writing.</b> The span's trace id goes out as a UUID ({@code 4bf92f35-77b3-4da6-a3ce-929d0e0e4736}
 * for trace id {@code 4bf92f3577b34da6a3ce929d0e0e4736}), the chain with this service's name
 * appended (once: not again when it already ends with it), and, in Kafka style, this service as
 * {@code producer_service}. Through tracewire's carriers each header replaces a value of the same
 * name, so a message sent on carries each header once. Nothing is written without a valid span.
 */
public final class LegacyCorrelationPropagator implements TextMapPropagator {

    /** The Kafka header of the trace id, a UUID. */
    public static final String TRACE_ID = "trace_id";
    /** The Kafka header of the service chain, comma-separated. */
    public static final String SERVICES_ENCOUNTERED = "services_encountered";
    /** The Kafka header naming the service that sent the record. */
    public static final String PRODUCER_SERVICE = "producer_service";
    /** The HTTP-style header of the trace id, a UUID. */
    public static final String HTTP_TRACE_ID = "X-Trace-ID";
    /** The HTTP-style header of the service chain, comma-separated. */
    public static final String HTTP_SERVICES_ENCOUNTERED = "X-Services-Encountered";

    private static final ContextKey<SpanContext> LEGACY_SPAN = ContextKey.named("tracewire-legacy-span-context");
    private static final ContextKey<List<String>> CHAIN = ContextKey.named("tracewire-services-encountered");
    private static final List<String> FIELDS = List.of(TRACE_ID, SERVICES_ENCOUNTERED, PRODUCER_SERVICE,
            HTTP_TRACE_ID, HTTP_SERVICES_ENCOUNTERED);
    private static final String SERVICE_NAME_ATTRIBUTE = "service.name=";

    /** Which header names the propagator writes; it reads both. */
    public enum HeaderStyle {
        /** {@code trace_id}, {@code services_encountered} and {@code producer_service}, as on Kafka records. */
        KAFKA,
        /** {@code X-Trace-ID} and {@code X-Services-Encountered}, as on HTTP requests. */
        HTTP
    }

    private final String serviceName;
    private final HeaderStyle style;

    private LegacyCorrelationPropagator(String serviceName, HeaderStyle style) {
        this.serviceName = serviceName;
        this.style = style;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The services a message went through before this one, as the legacy chain it carried lists
     * them (in order); empty when it carried none.
     */
    public static List<String> servicesEncountered(Context context) {
        List<String> chain = context.get(CHAIN);
        return chain == null ? List.of() : chain;
    }

    /**
     * Whether the span context of {@code context} is one this propagator read from legacy headers
     * (no earlier propagator having found one): what tracewire's propagation-health counter reports
     * as {@code legacy}.
     */
    public static boolean isLegacyContext(Context context) {
        SpanContext legacy = context.get(LEGACY_SPAN);
        return legacy != null && legacy.equals(Span.fromContext(context).getSpanContext());
    }

    /** The name this service appends to the chain and writes as {@code producer_service}. */
    public String serviceName() {
        return serviceName;
    }

    /** The headers it reads, and may write. */
    @Override
    public Collection<String> fields() {
        return FIELDS;
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        if (context == null || setter == null) {
            return;
        }
        SpanContext span = Span.fromContext(context).getSpanContext();
        if (!span.isValid()) {
            return;
        }
        String chain = String.join(",", appended(servicesEncountered(context)));
        if (style == HeaderStyle.KAFKA) {
            setter.set(carrier, TRACE_ID, uuid(span.getTraceId()));
            setter.set(carrier, SERVICES_ENCOUNTERED, chain);
            setter.set(carrier, PRODUCER_SERVICE, serviceName);
        } else {
            setter.set(carrier, HTTP_TRACE_ID, uuid(span.getTraceId()));
            setter.set(carrier, HTTP_SERVICES_ENCOUNTERED, chain);
        }
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        if (context == null) {
            context = Context.root();
        }
        if (getter == null) {
            return context;
        }
        Context extracted = context;
        List<String> chain = chain(first(carrier, getter, SERVICES_ENCOUNTERED, HTTP_SERVICES_ENCOUNTERED));
        if (!chain.isEmpty()) {
            extracted = extracted.with(CHAIN, chain);
        }
        if (Span.fromContext(context).getSpanContext().isValid()) {
            return extracted;
        }
        String traceId = traceIdOf(first(carrier, getter, TRACE_ID, HTTP_TRACE_ID));
        if (traceId == null) {
            return extracted;
        }
        String low = traceId.substring(16);
        SpanContext parent = SpanContext.createFromRemoteParent(traceId,
                low.equals("0000000000000000") ? traceId.substring(0, 16) : low, TraceFlags.getSampled(),
                TraceState.getDefault());
        return parent.isValid() ? extracted.with(Span.wrap(parent)).with(LEGACY_SPAN, parent) : extracted;
    }

    @Override
    public String toString() {
        return "LegacyCorrelationPropagator[serviceName=" + serviceName + ", headerStyle=" + style + "]";
    }

    private List<String> appended(List<String> chain) {
        if (!chain.isEmpty() && chain.get(chain.size() - 1).equals(serviceName)) {
            return chain;
        }
        List<String> appended = new ArrayList<>(chain);
        appended.add(serviceName);
        return appended;
    }

    private static <C> String first(C carrier, TextMapGetter<C> getter, String name, String alternative) {
        String value = getter.get(carrier, name);
        return value != null && !value.isBlank() ? value : getter.get(carrier, alternative);
    }

    private static List<String> chain(String header) {
        if (header == null) {
            return List.of();
        }
        List<String> services = new ArrayList<>();
        for (String service : header.split(",")) {
            if (!service.isBlank()) {
                services.add(service.trim());
            }
        }
        return List.copyOf(services);
    }

    /**
     * The 32 lower-case hex digits of a UUID written in its canonical form (8-4-4-4-12 hex digits,
     * either case) or as 32 hex digits; {@code null} for anything else.
     */
    static String traceIdOf(String uuid) {
        if (uuid == null) {
            return null;
        }
        String value = uuid.trim();
        if (value.length() == 36) {
            if (value.charAt(8) != '-' || value.charAt(13) != '-' || value.charAt(18) != '-'
                    || value.charAt(23) != '-') {
                return null;
            }
            value = value.substring(0, 8) + value.substring(9, 13) + value.substring(14, 18)
                    + value.substring(19, 23) + value.substring(24);
        }
        if (value.length() != 32) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return null;
            }
        }
        return value.toLowerCase(Locale.ROOT);
    }

    /** A trace id's 32 hex digits in the canonical UUID form. */
    static String uuid(String traceId) {
        return traceId.substring(0, 8) + '-' + traceId.substring(8, 12) + '-' + traceId.substring(12, 16) + '-'
                + traceId.substring(16, 20) + '-' + traceId.substring(20);
    }

    /** Builds a {@link LegacyCorrelationPropagator}. */
    public static final class Builder {
        private String serviceName;
        private HeaderStyle style = HeaderStyle.KAFKA;

        private Builder() {
        }

        /**
         * This service's name, appended to the chain and written as {@code producer_service}. Not
         * given, it is the {@code service.name} OpenTelemetry's SDK configuration gives the
         * service: the {@code otel.service.name} system property, else the {@code OTEL_SERVICE_NAME}
         * environment variable, else {@code service.name} in {@code otel.resource.attributes} or
         * {@code OTEL_RESOURCE_ATTRIBUTES}.
         */
        public Builder serviceName(String serviceName) {
            if (serviceName == null || serviceName.isBlank()) {
                throw new IllegalArgumentException("serviceName must not be blank");
            }
            if (serviceName.contains(",")) {
                throw new IllegalArgumentException("serviceName must not contain a comma, the chain's separator: "
                        + serviceName);
            }
            this.serviceName = serviceName.trim();
            return this;
        }

        /** Which header names to write (default {@link HeaderStyle#KAFKA}); both are read. */
        public Builder headerStyle(HeaderStyle style) {
            this.style = Objects.requireNonNull(style, "style");
            return this;
        }

        /**
         * @throws IllegalStateException when no service name was given and the OpenTelemetry
         *     configuration names none
         */
        public LegacyCorrelationPropagator build() {
            String name = serviceName != null ? serviceName : configuredServiceName();
            if (name == null) {
                throw new IllegalStateException("LegacyCorrelationPropagator needs this service's name for the"
                        + " services_encountered chain: give builder().serviceName(\"...\"), or set otel.service.name"
                        + " (OTEL_SERVICE_NAME)");
            }
            return new LegacyCorrelationPropagator(name, style);
        }

        private static String configuredServiceName() {
            String name = setting("otel.service.name", "OTEL_SERVICE_NAME");
            if (name != null) {
                return name;
            }
            String attributes = setting("otel.resource.attributes", "OTEL_RESOURCE_ATTRIBUTES");
            if (attributes == null) {
                return null;
            }
            for (String attribute : attributes.split(",")) {
                String trimmed = attribute.trim();
                if (trimmed.startsWith(SERVICE_NAME_ATTRIBUTE) && trimmed.length() > SERVICE_NAME_ATTRIBUTE.length()) {
                    return trimmed.substring(SERVICE_NAME_ATTRIBUTE.length()).trim();
                }
            }
            return null;
        }

        private static String setting(String property, String variable) {
            String value = System.getProperty(property);
            if (value == null || value.isBlank()) {
                value = System.getenv(variable);
            }
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
