package dev.tracewire.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runtime's public surface is what users call: options, error policies, codecs, subscriptions
 * and exceptions. Everything only generated code calls sits in a package named {@code internal},
 * and the public packages never refer to those. A new public type outside the intended packages
 * fails this test: add it to {@link #PUBLIC_API} on purpose, or move it under {@code internal}.
 */
class PublicApiTest {

    private static final Set<String> PUBLIC_API = Set.of(
            "dev.tracewire.runtime.AgentInstrumentation",
            "dev.tracewire.runtime.Codec",
            "dev.tracewire.runtime.Codecs",
            "dev.tracewire.runtime.ErrorPolicy",
            "dev.tracewire.runtime.ErrorPolicy$Action",
            "dev.tracewire.runtime.ErrorPolicy$Decision",
            "dev.tracewire.runtime.LegacyCorrelationPropagator",
            "dev.tracewire.runtime.LegacyCorrelationPropagator$Builder",
            "dev.tracewire.runtime.LegacyCorrelationPropagator$HeaderStyle",
            "dev.tracewire.runtime.PayloadCarrier",
            "dev.tracewire.runtime.PayloadCarrier$Extracted",
            "dev.tracewire.runtime.Subscription",
            "dev.tracewire.runtime.SystemOptions",
            "dev.tracewire.runtime.TracewireOptions",
            "dev.tracewire.runtime.TracewireOptions$Builder",
            "dev.tracewire.runtime.UndecodablePayloadException",
            "dev.tracewire.runtime.kafka.KafkaDeadLetters",
            "dev.tracewire.runtime.kafka.KafkaOptions",
            "dev.tracewire.runtime.kafka.KafkaOptions$Builder",
            "dev.tracewire.runtime.kafka.KafkaPayloadCarrier",
            "dev.tracewire.runtime.nats.NatsDeadLetters",
            "dev.tracewire.runtime.nats.NatsOptions",
            "dev.tracewire.runtime.nats.NatsOptions$Builder",
            "dev.tracewire.runtime.nats.NatsRequestException",
            "dev.tracewire.runtime.nats.NatsRequestException$Reason");

    @Test
    void publicTypesOutsideInternalPackagesAreExactlyTheUserApi() throws Exception {
        Set<String> exposed = new TreeSet<>();
        for (String name : runtimeClasses()) {
            if (isInternal(name) || name.endsWith("package-info")) {
                continue;
            }
            if (isExposed(Class.forName(name, false, getClass().getClassLoader()))) {
                exposed.add(name);
            }
        }

        assertThat(exposed).containsExactlyInAnyOrderElementsOf(PUBLIC_API);
    }

    @Test
    void publicPackagesNeverReferToInternalOnes() throws IOException {
        for (String name : runtimeClasses()) {
            if (isInternal(name)) {
                continue;
            }
            String constants = new String(Files.readAllBytes(classFile(name)), StandardCharsets.ISO_8859_1);
            assertThat(constants).as(name).doesNotContain("dev/tracewire/runtime/internal")
                    .doesNotContain("/internal/");
        }
    }

    @Test
    void everyInternalPackageSaysSoInItsDocumentation() throws IOException {
        Path sources = Path.of("src/main/java/dev/tracewire/runtime");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> internalPackages = files.filter(Files::isDirectory)
                    .filter(dir -> dir.getFileName().toString().equals("internal")).toList();
            assertThat(internalPackages).hasSize(3);
            for (Path dir : internalPackages) {
                assertThat(Files.readString(dir.resolve("package-info.java"))).as(dir.toString())
                        .contains("<b>Internal:</b>").contains("not a public API");
            }
        }
    }

    private static boolean isInternal(String className) {
        return className.contains(".internal.");
    }

    /** Whether code outside the runtime can name the type: public, and so are all its enclosing types. */
    private static boolean isExposed(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass()) {
                return false;
            }
        }
        return true;
    }

    private static Path classes() {
        try {
            return Path.of(TracewireOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path classFile(String className) {
        return classes().resolve(className.replace('.', '/') + ".class");
    }

    private static List<String> runtimeClasses() {
        Path root = classes();
        try (Stream<Path> files = Files.walk(root.resolve("dev/tracewire/runtime"))) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
