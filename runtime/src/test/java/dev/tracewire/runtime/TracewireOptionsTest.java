package dev.tracewire.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TracewireOptionsTest {

    @Test
    void defaults() {
        TracewireOptions options = TracewireOptions.defaults();

        assertThat(options.openTelemetry()).isSameAs(GlobalOpenTelemetry.get());
        assertThat(options.captureMessageKey()).isTrue();
        assertThat(options.captureBodySize()).isFalse();
        assertThat(options.pollTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(options.errorPolicy()).hasToString(ErrorPolicy.defaults().toString());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        OpenTelemetry openTelemetry = OpenTelemetry.noop();
        ErrorPolicy policy = ErrorPolicy.skip();
        TracewireOptions options = TracewireOptions.builder()
                .openTelemetry(openTelemetry)
                .captureMessageKey(false)
                .captureBodySize(true)
                .errorPolicy(policy)
                .pollTimeout(Duration.ofMillis(5))
                .build();

        TracewireOptions copy = options.toBuilder().build();

        assertThat(copy.openTelemetry()).isSameAs(openTelemetry);
        assertThat(copy.captureMessageKey()).isFalse();
        assertThat(copy.captureBodySize()).isTrue();
        assertThat(copy.errorPolicy()).isSameAs(policy);
        assertThat(copy.pollTimeout()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void argumentsAreValidated() {
        TracewireOptions.Builder builder = TracewireOptions.builder();

        assertThatThrownBy(() -> builder.pollTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.pollTimeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.openTelemetry(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> builder.errorPolicy(null)).isInstanceOf(NullPointerException.class);
    }
}
