package dev.tracewire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.kafka.KafkaOptions;
import dev.tracewire.runtime.nats.NatsOptions;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TracewireOptionsTest {

    @Test
    void defaults() {
        TracewireOptions options = TracewireOptions.defaults();

        assertThat(options.usesGlobalOpenTelemetry()).isTrue();
        assertThat(options.captureBodySize()).isFalse();
        assertThat(options.errorPolicy()).hasToString(ErrorPolicy.defaults().toString());
        assertThat(options.embedContextInPayload()).isFalse();
        assertThat(options.payloadContextField()).isEqualTo("_otel_trace_headers");
        assertThat(KafkaOptions.of(options).captureMessageKey()).isTrue();
        assertThat(KafkaOptions.of(options).pollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(KafkaOptions.of(options).closeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(NatsOptions.of(options).requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(NatsOptions.of(options).closeTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void toBuilderKeepsEverySettingAndEachSystemsSettings() {
        OpenTelemetry openTelemetry = OpenTelemetry.noop();
        ErrorPolicy policy = ErrorPolicy.skip();
        KafkaOptions kafka = KafkaOptions.builder().captureMessageKey(false).pollTimeout(Duration.ofMillis(5))
                .closeTimeout(Duration.ofSeconds(3)).build();
        NatsOptions nats = NatsOptions.builder().requestTimeout(Duration.ofMillis(7))
                .closeTimeout(Duration.ofSeconds(4)).build();
        TracewireOptions options = TracewireOptions.builder()
                .openTelemetry(openTelemetry)
                .captureBodySize(true)
                .errorPolicy(policy)
                .embedContextInPayload(true)
                .payloadContextField("ctx")
                .with(kafka)
                .with(nats)
                .build();

        TracewireOptions copy = options.toBuilder().build();

        assertThat(copy.openTelemetry()).isSameAs(openTelemetry);
        assertThat(copy.usesGlobalOpenTelemetry()).isFalse();
        assertThat(copy.captureBodySize()).isTrue();
        assertThat(copy.errorPolicy()).isSameAs(policy);
        assertThat(copy.embedContextInPayload()).isTrue();
        assertThat(copy.payloadContextField()).isEqualTo("ctx");
        assertThat(KafkaOptions.of(copy)).isSameAs(kafka);
        assertThat(kafka.toBuilder().build().closeTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(nats.toBuilder().build().closeTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(NatsOptions.of(copy)).isSameAs(nats);
    }

    @Test
    void aLaterSettingOfTheSameSystemReplacesTheEarlierOne() {
        KafkaOptions second = KafkaOptions.builder().pollTimeout(Duration.ofMillis(9)).build();

        TracewireOptions options = TracewireOptions.builder()
                .with(KafkaOptions.builder().pollTimeout(Duration.ofMillis(1)).build())
                .with(second)
                .build();

        assertThat(KafkaOptions.of(options)).isSameAs(second);
        assertThat(options.settings(NatsOptions.class)).isEmpty();
    }

    @Test
    void argumentsAreValidated() {
        TracewireOptions.Builder builder = TracewireOptions.builder();

        assertThatThrownBy(() -> KafkaOptions.builder().pollTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaOptions.builder().pollTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KafkaOptions.builder().closeTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsOptions.builder().requestTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NatsOptions.builder().closeTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.openTelemetry(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.errorPolicy(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.with(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.payloadContextField(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
