package dev.tracewire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README shows real code: the sample's interface and the class javac generated from it. */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path SOURCES = Path.of("src", "main", "java", "dev", "tracewire", "sample");
    private static final Path GENERATED =
            Path.of("target", "generated-sources", "annotations", "dev", "tracewire", "sample");

    @Test
    void showsTheGeneratedPublisherExactlyAsTheBuildWroteIt() throws IOException {
        assertThat(Files.readString(README)).contains(Files.readString(GENERATED.resolve("TracedOrderEvents.java")));
    }

    @Test
    void showsTheSampleInterfacesAsTheyAre() throws IOException {
        String readme = Files.readString(README);
        assertThat(readme).contains(body(SOURCES.resolve("OrderEvents.java")));
        assertThat(readme).contains(body(SOURCES.resolve("OrderHandler.java")));
    }

    /** A source file from its type declaration's annotation on, without package and imports. */
    private static String body(Path source) throws IOException {
        String text = Files.readString(source);
        return text.substring(text.indexOf("\n@Traced") + 1);
    }
}
