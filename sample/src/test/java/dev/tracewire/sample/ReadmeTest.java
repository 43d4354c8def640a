package dev.tracewire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README shows real code: every Java snippet in it is a region of a sample source between
 * {@code // README: <name>} and {@code // README: end} (main code, or a test that runs it), an
 * annotated interface of the sample as it is, or a class javac generated, exactly as the build wrote it.
 */
class ReadmeTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Path TEST = Path.of("src", "test", "java");
    private static final Path SAMPLE = MAIN.resolve(Path.of("dev", "tracewire", "sample"));
    private static final Path GENERATED =
            Path.of("target", "generated-sources", "annotations", "dev", "tracewire", "sample");
    private static final Pattern MARKER = Pattern.compile("^\\s*// README: (.+)$");
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)\n```", Pattern.DOTALL);

    @Test
    void showsAGeneratedPublisherExactlyAsTheBuildWroteIt() throws IOException {
        assertThat(Files.readString(README)).contains(Files.readString(GENERATED.resolve("ingest/TracedReadingEvents.java")));
    }

    @Test
    void showsTheSampleInterfacesAsTheyAre() throws IOException {
        String readme = Files.readString(README);
        for (String source : List.of("ingest/ReadingEvents.java", "detector/ReadingHandler.java",
                "detector/AnomalyEvents.java", "orchestrator/AlertHandler.java", "orchestrator/Inventory.java",
                "auditor/WorkOrderAudit.java")) {
            assertThat(readme).as(source).contains(body(SAMPLE.resolve(source)));
        }
    }

    @Test
    void everyJavaSnippetIsCodeThatCompiles() throws IOException {
        List<String> sources = new ArrayList<>(regions().values());
        try (Stream<Path> files = Files.walk(SAMPLE)) {
            files.filter(ReadmeTest::isTracedInterface).map(ReadmeTest::body).forEach(sources::add);
        }
        try (Stream<Path> files = Files.walk(GENERATED)) {
            files.filter(Files::isRegularFile).map(ReadmeTest::read).forEach(sources::add);
        }
        List<String> stripped = sources.stream().map(String::strip).toList();

        Matcher blocks = JAVA_BLOCK.matcher(Files.readString(README));
        int count = 0;
        while (blocks.find()) {
            count++;
            assertThat(stripped).as("a marked region, an interface or a generated class of the sample").contains(
                    blocks.group(1).strip());
        }
        assertThat(count).isGreaterThan(10);
    }

    @Test
    void everyMarkedRegionIsInTheReadme() throws IOException {
        String readme = Files.readString(README);
        Map<String, String> regions = regions();

        assertThat(regions).containsKeys("wiring by hand", "your own loop", "options", "spring beans");
        regions.forEach((name, region) -> assertThat(readme).as("region %s", name).contains("```java\n" + region + "\n```"));
    }

    /** Each {@code // README: name} region of the sample's sources, main and test, without its common indentation. */
    static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        for (Path root : List.of(MAIN, TEST)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(path -> path.toString().endsWith(".java")).sorted().toList()) {
                    collectRegions(file, regions);
                }
            }
        }
        return regions;
    }

    private static void collectRegions(Path file, Map<String, String> regions) {
        String name = null;
        List<String> lines = new ArrayList<>();
        for (String line : read(file).split("\n", -1)) {
            Matcher marker = MARKER.matcher(line);
            if (marker.matches() && marker.group(1).equals("end")) {
                assertThat(name).as("a README: end without a start in %s", file).isNotNull();
                assertThat(regions.put(name, dedent(lines))).as("region %s named twice", name).isNull();
                name = null;
            } else if (marker.matches()) {
                assertThat(name).as("region %s not ended in %s", name, file).isNull();
                name = marker.group(1);
                lines.clear();
            } else if (name != null) {
                lines.add(line);
            }
        }
        assertThat(name).as("region %s not ended in %s", name, file).isNull();
    }

    private static String dedent(List<String> lines) {
        int indent = lines.stream().filter(line -> !line.isBlank())
                .mapToInt(line -> line.length() - line.stripLeading().length()).min().orElse(0);
        return String.join("\n", lines.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
    }

    private static boolean isTracedInterface(Path file) {
        return file.toString().endsWith(".java") && read(file).contains("\n@Traced");
    }

    /** A source file from its type declaration's annotation on, without package and imports. */
    private static String body(Path source) {
        String text = read(source);
        return text.substring(text.indexOf("\n@Traced") + 1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
