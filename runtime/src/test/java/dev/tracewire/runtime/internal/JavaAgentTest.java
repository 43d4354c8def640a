package dev.tracewire.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.runtime.AgentInstrumentation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deciding whether OpenTelemetry's Java agent instruments a library reads the agent's settings as
 * the agent does. (The real agent, beside generated clients, is the sample's {@code AgentInteropTest}.)
 */
class JavaAgentTest {

    private static final List<String> KAFKA = List.of("kafka-clients", "kafka-clients-0.11", "kafka");

    @Test
    void enabledUnlessTheAgentsSettingsSayOtherwise() {
        assertThat(enabled(Map.of(), Map.of())).isTrue();
        assertThat(enabled(Map.of("otel.instrumentation.kafka.enabled", "false"), Map.of())).isFalse();
        assertThat(enabled(Map.of(), Map.of("OTEL_INSTRUMENTATION_KAFKA_CLIENTS_ENABLED", "false"))).isFalse();
        assertThat(enabled(Map.of("otel.instrumentation.common.default-enabled", "false"), Map.of())).isFalse();
        assertThat(enabled(Map.of(), Map.of("OTEL_INSTRUMENTATION_COMMON_DEFAULT_ENABLED", "false"))).isFalse();
    }

    @Test
    void theFirstConfiguredNameWinsOverLaterNamesAndTheCommonDefault() {
        assertThat(enabled(Map.of("otel.instrumentation.common.default-enabled", "false",
                "otel.instrumentation.kafka.enabled", "true"), Map.of())).isTrue();
        assertThat(enabled(Map.of("otel.instrumentation.kafka-clients.enabled", "false",
                "otel.instrumentation.kafka.enabled", "true"), Map.of())).isFalse();
        assertThat(enabled(Map.of("otel.instrumentation.kafka.enabled", " TRUE "),
                Map.of("OTEL_INSTRUMENTATION_KAFKA_ENABLED", "false"))).isTrue();
    }

    @Test
    void anExplicitSettingIsTakenWithoutLooking() {
        assertThat(JavaAgent.instruments(AgentInstrumentation.PRESENT, KAFKA)).isTrue();
        assertThat(JavaAgent.instruments(AgentInstrumentation.ABSENT, KAFKA)).isFalse();
    }

    @Test
    void withoutTheAgentNothingIsInstrumented() {
        assertThat(JavaAgent.running()).isFalse();
        assertThat(JavaAgent.instruments(AgentInstrumentation.DETECT, KAFKA)).isFalse();
    }

    private static boolean enabled(Map<String, String> properties, Map<String, String> environment) {
        return JavaAgent.enabled(KAFKA, properties::get, environment::get);
    }
}
