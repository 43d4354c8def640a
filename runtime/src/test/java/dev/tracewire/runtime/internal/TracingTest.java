package dev.tracewire.runtime.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class TracingTest {

    @Test
    void keyStringReadsBytesAsUtf8AndAnythingElseThroughToString() {
        assertThat(Tracing.keyString("k1")).isEqualTo("k1");
        assertThat(Tracing.keyString("kø".getBytes(UTF_8))).isEqualTo("kø");
        assertThat(Tracing.keyString(42L)).isEqualTo("42");
    }

    @Test
    void theVersionIsFilteredIn() {
        assertThat(Tracing.VERSION).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
    }

    @Test
    void failIgnoresSpansThatDoNotRecord() {
        Tracing.fail(Span.getInvalid(), new IOException("ignored"));
        assertThat(Span.getInvalid().isRecording()).isFalse();
    }

    @Test
    void partitionIdsAreTheDecimalForm() {
        assertThat(PartitionIds.of(0)).isEqualTo("0");
        assertThat(PartitionIds.of(7)).isEqualTo("7").isSameAs(PartitionIds.of(7));
        assertThat(PartitionIds.of(255)).isEqualTo("255");
        assertThat(PartitionIds.of(256)).isEqualTo("256");
        assertThat(PartitionIds.of(100_000)).isEqualTo("100000");
        assertThat(PartitionIds.of(-1)).isEqualTo("-1");
    }
}
