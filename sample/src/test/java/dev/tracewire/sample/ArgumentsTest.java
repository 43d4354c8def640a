package dev.tracewire.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    @Test
    void withoutArgumentsTheSampleStartsItsOwnBrokersAndPublishes300Readings() {
        Arguments arguments = Arguments.parse(List.of());

        assertThat(arguments.kafka()).isNull();
        assertThat(arguments.nats()).isNull();
        assertThat(arguments.readings()).isEqualTo(300);
        assertThat(arguments.verbose()).isFalse();
        assertThat(arguments.logFile()).isEqualTo(Path.of("target", "tracewire-sample.log"));
        assertThat(arguments.nodePeer()).as("the tests run in sample/").isEqualTo(Path.of("node-peer"));
    }

    @Test
    void readsEveryOption() {
        Arguments arguments = Arguments.parse(List.of("--kafka", "127.0.0.1:9092", "--nats", "nats://127.0.0.1:4222",
                "--readings", "40", "--verbose", "--log", "run.log", "--node-peer", "elsewhere"));

        assertThat(arguments).isEqualTo(new Arguments("127.0.0.1:9092", "nats://127.0.0.1:4222", 40, true,
                Path.of("run.log"), Path.of("elsewhere")));
    }

    @Test
    void refusesWhatItDoesNotUnderstand() {
        assertThatThrownBy(() -> Arguments.parse(List.of("--fast"))).hasMessage("unknown option --fast");
        assertThatThrownBy(() -> Arguments.parse(List.of("--kafka"))).hasMessage("--kafka needs a value");
        assertThatThrownBy(() -> Arguments.parse(List.of("--kafka", "--verbose"))).hasMessage("--kafka needs a value");
        assertThatThrownBy(() -> Arguments.parse(List.of("--readings", "many")))
                .hasMessage("--readings takes a number, not many");
        assertThatThrownBy(() -> Arguments.parse(List.of("--readings", "1"))).hasMessage("--readings takes 2 or more, not 1");
        assertThatThrownBy(() -> Arguments.parse(List.of("--nats", "127.0.0.1:4222")))
                .hasMessage("--nats takes a URL such as nats://127.0.0.1:4222, not 127.0.0.1:4222");
        assertThatThrownBy(() -> Arguments.parse(List.of("--help"))).hasMessage("");
    }
}
