package dev.tracewire.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests: each folder of {@code good/} is compiled with the processor under
 * {@code -Xlint:all -Werror}, and every generated source must equal the file of the same name in
 * the matching folder of {@code expected/}. Run with {@code -Dtracewire.updateGoldens=true} to
 * rewrite the expected files instead, and review the change as a diff.
 */
class GoldenTest {

    private static final boolean UPDATE = Boolean.getBoolean("tracewire.updateGoldens");

    static List<String> features() {
        return Sources.folders("good");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void generatesTheExpectedSourcesWithoutWarnings(String feature) {
        Compilation compilation = compile(feature);

        assertThat(compilation.status()).as(compilation.diagnostics().toString()).isEqualTo(Compilation.Status.SUCCESS);
        assertThat(compilation.diagnostics()).filteredOn(d -> d.getKind() != Diagnostic.Kind.NOTE).isEmpty();
        Map<String, String> generated = generatedSources(compilation);
        assertThat(generated).isNotEmpty();
        Path expectedFolder = Sources.RESOURCES.resolve("expected").resolve(feature);
        if (UPDATE) {
            rewrite(expectedFolder, generated);
        }
        assertThat(generated.keySet()).containsExactlyElementsOf(expectedFiles(expectedFolder));
        generated.forEach((file, source) ->
                assertThat(source).as(feature + "/" + file).isEqualTo(read(expectedFolder.resolve(file))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("features")
    void generatesByteIdenticalSourcesEveryTime(String feature) {
        assertThat(generatedSources(compile(feature))).isEqualTo(generatedSources(compile(feature)));
    }

    static Compilation compile(String feature) {
        return Compiler.javac()
                .withProcessors(new TracewireProcessor())
                .withOptions("-Xlint:all", "-Werror")
                .compile(Sources.inputs("good", feature));
    }

    private static Map<String, String> generatedSources(Compilation compilation) {
        Map<String, String> sources = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String name = file.getName().substring(file.getName().lastIndexOf('/') + 1);
            try {
                sources.put(name, file.getCharContent(true).toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    private static List<String> expectedFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void rewrite(Path folder, Map<String, String> generated) {
        try {
            Files.createDirectories(folder);
            for (String stale : expectedFiles(folder)) {
                if (!generated.containsKey(stale)) {
                    Files.delete(folder.resolve(stale));
                }
            }
            for (Map.Entry<String, String> file : generated.entrySet()) {
                Files.writeString(folder.resolve(file.getKey()), file.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
