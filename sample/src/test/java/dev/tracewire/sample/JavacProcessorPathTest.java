package dev.tracewire.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.squareup.javapoet.JavaFile;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.runtime.TracewireOptions;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor works the way a user without Maven runs it: plain {@code javac -processorpath} with
 * the built processor and its one dependency, no service loader tricks, under
 * {@code -Xlint:all -Werror}.
 */
class JavacProcessorPathTest {

    private static final String SOURCE = String.join("\n",
            "package shop;",
            "",
            "import dev.tracewire.annotations.Key;",
            "import dev.tracewire.annotations.Topic;",
            "import dev.tracewire.annotations.TracedConsumer;",
            "import dev.tracewire.annotations.TracedPublisher;",
            "",
            "public final class Api {",
            "    private Api() {",
            "    }",
            "",
            "    @TracedPublisher",
            "    public interface Events {",
            "        @Topic(\"events\")",
            "        void sent(@Key String key, String text);",
            "    }",
            "",
            "    @TracedConsumer(group = \"g\")",
            "    public interface Handler {",
            "        @Topic(\"events\")",
            "        void onEvent(@Key String key, String text);",
            "    }",
            "}",
            "");

    /*
     * Named, not referenced: the class carries @AutoService, whose class file a user's (and this
     * test's) compile class path rightly lacks.
     */
    private static final String PROCESSOR = "dev.tracewire.processor.TracewireProcessor";

    @TempDir
    Path work;

    @Test
    void plainJavacWithTheProcessorPathGeneratesWarningFreeClasses() throws Exception {
        Path source = Files.createDirectories(work.resolve("src/shop")).resolve("Api.java");
        Files.writeString(source, SOURCE);
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path generated = Files.createDirectories(work.resolve("generated"));
        String processorPath = pathOf(Class.forName(PROCESSOR), JavaFile.class, TracedPublisher.class);
        String classPath = pathOf(TracedPublisher.class, TracewireOptions.class, Producer.class, OpenTelemetry.class,
                Context.class);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "-processorpath", processorPath, "-classpath", classPath,
                "--release", "17", "-Xlint:all", "-Werror", "-XDrawDiagnostics",
                "-d", classes.toString(), "-s", generated.toString(), source.toString());

        assertThat(status).as("javac's exit status (its diagnostics are on the test's output)").isZero();
        assertThat(generated.resolve("shop/TracedApi_Events.java")).exists();
        assertThat(generated.resolve("shop/TracedApi_Handler.java")).exists();
        assertThat(classes.resolve("shop/TracedApi_Events.class")).exists();
        assertThat(classes.resolve("shop/TracedApi_Handler.class")).exists();
    }

    @Test
    void theProcessorDeclaresItselfIsolatingForGradle() throws Exception {
        Path location = location(Class.forName(PROCESSOR));
        String metadata = read(location, "META-INF/gradle/incremental.annotation.processors");
        assertThat(metadata.strip()).isEqualTo(PROCESSOR + ",isolating");
        String services = read(location, "META-INF/services/javax.annotation.processing.Processor");
        assertThat(services.strip()).isEqualTo(PROCESSOR);
    }

    private static String pathOf(Class<?>... classes) throws URISyntaxException {
        StringBuilder path = new StringBuilder();
        for (Class<?> type : classes) {
            if (path.length() > 0) {
                path.append(File.pathSeparator);
            }
            path.append(location(type));
        }
        return path.toString();
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** A resource of a jar or a classes folder, as text. */
    private static String read(Path location, String resource) throws IOException {
        if (Files.isDirectory(location)) {
            return Files.readString(location.resolve(resource));
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            try (InputStream in = jar.getInputStream(jar.getEntry(resource))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
