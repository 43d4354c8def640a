package dev.tracewire.benchmarks.processor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Table 4: what the processor costs at compile time. {@code interfaces} annotated interfaces (a
 * quarter each Kafka publishers, Kafka consumers, NATS publishers, NATS consumers, two methods each)
 * compiled by in-process javac ({@code javax.tools}, warmed up, as in a build daemon or Maven's
 * in-process compiler), the benchmark jar as class path:
 * <ul>
 *   <li>{@code interfacesOnly}: the interfaces, {@code -proc:none} (A);
 *   <li>{@code interfacesPlusGenerated}: the interfaces and the sources the processor generated for
 *       them (written once, at set-up), {@code -proc:none} (B);
 *   <li>{@code withProcessor}: the interfaces with the processor, which generates and compiles (C);
 *   <li>{@code withCopyingProcessor}: the interfaces with {@link CopyingProcessor}, which writes the
 *       same generated sources through the {@code Filer} without reading or generating anything (D).
 * </ul>
 * The processor's cost is C - B; the javac time of the code it generates is B - A. C - D is
 * tracewire's own reading, checking and writing; D - B is javac's cost of running any processor
 * that generates these sources (processing rounds, the Filer). Set-up prints the size of the
 * generated code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@State(Scope.Benchmark)
public class ProcessorBenchmark {

    private static final String PROCESSOR = "dev.tracewire.processor.TracewireProcessor";

    @Param({"100", "1000"})
    public int interfaces;

    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final String classPath = System.getProperty("java.class.path");
    private Path root;
    private Path generatedRoot;
    private List<File> interfaceSources;
    private List<File> generatedSources;
    private Path out;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the benchmarks on a JDK, not a JRE");
        }
        root = Files.createTempDirectory("tracewire-processor-bench");
        Path sources = Files.createDirectories(root.resolve("src/gen"));
        interfaceSources = new ArrayList<>();
        for (int i = 0; i < interfaces; i++) {
            String name = switch (i % 4) {
                case 0 -> "KafkaEvents" + i;
                case 1 -> "KafkaHandler" + i;
                case 2 -> "NatsEvents" + i;
                default -> "NatsHandler" + i;
            };
            Path file = sources.resolve(name + ".java");
            Files.writeString(file, source(i, name), StandardCharsets.UTF_8);
            interfaceSources.add(file.toFile());
        }
        Path generated = Files.createDirectories(root.resolve("generated"));
        generatedRoot = generated;
        Path classes = Files.createDirectories(root.resolve("classes"));
        compile(interfaceSources, List.of("-processorpath", classPath, "-processor", PROCESSOR,
                "-s", generated.toString(), "-d", classes.toString()));
        try (Stream<Path> files = Files.walk(generated)) {
            generatedSources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).sorted().toList();
        }
        report(sources, generated, classes);
    }

    private void report(Path sources, Path generated, Path classes) throws IOException {
        long[] in = size(sources, ".java");
        long[] gen = size(generated, ".java");
        long[] genClasses;
        long[] allClasses = size(classes, ".class");
        try (Stream<Path> files = Files.walk(classes)) {
            genClasses = files.filter(p -> p.getFileName().toString().startsWith("Traced")
                    && p.toString().endsWith(".class")).map(ProcessorBenchmark::sizeOf)
                    .reduce(new long[3], ProcessorBenchmark::add);
        }
        System.out.printf(Locale.ROOT, "%n[code size] %d interfaces: %d files, %d lines, %d bytes of source;"
                + " generated: %d files, %d lines, %d bytes of source, %d class files of %d bytes"
                + " (interfaces' class files: %d of %d bytes)%n",
                interfaces, in[0], in[1], in[2], gen[0], gen[1], gen[2], genClasses[0], genClasses[2],
                allClasses[0] - genClasses[0], allClasses[2] - genClasses[2]);
    }

    private static long[] size(Path dir, String suffix) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).map(ProcessorBenchmark::sizeOf)
                    .reduce(new long[3], ProcessorBenchmark::add);
        }
    }

    /** Files, lines (sources only), bytes. */
    private static long[] sizeOf(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            long lines = 0;
            if (file.toString().endsWith(".java")) {
                for (byte b : bytes) {
                    if (b == '\n') {
                        lines++;
                    }
                }
            }
            return new long[] {1, lines, bytes.length};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long[] add(long[] a, long[] b) {
        return new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]};
    }

    private static String source(int i, String name) {
        String template = switch (i % 4) {
            case 0 -> """
                    package gen;

                    import dev.tracewire.annotations.Header;
                    import dev.tracewire.annotations.Key;
                    import dev.tracewire.annotations.Topic;
                    import dev.tracewire.annotations.TracedPublisher;
                    import java.util.concurrent.CompletableFuture;
                    import org.apache.kafka.clients.producer.RecordMetadata;

                    @TracedPublisher
                    public interface NAME {
                        @Topic("topic-I-a")
                        CompletableFuture<RecordMetadata> a(@Key String key, String value, @Header("tenant") String tenant);

                        @Topic("topic-I-b")
                        void b(@Key String key, String value);
                    }
                    """;
            case 1 -> """
                    package gen;

                    import dev.tracewire.annotations.Header;
                    import dev.tracewire.annotations.Key;
                    import dev.tracewire.annotations.Topic;
                    import dev.tracewire.annotations.TracedConsumer;

                    @TracedConsumer(group = "group-I")
                    public interface NAME {
                        @Topic("topic-I-a")
                        void a(@Key String key, String value, @Header("tenant") String tenant) throws Exception;

                        @Topic("topic-I-b")
                        void b(String value);
                    }
                    """;
            case 2 -> """
                    package gen;

                    import dev.tracewire.annotations.Header;
                    import dev.tracewire.annotations.Subject;
                    import dev.tracewire.annotations.TracedPublisher;

                    @TracedPublisher
                    public interface NAME {
                        @Subject("subject.I.a")
                        void a(String value, @Header("tenant") String tenant);

                        @Subject("subject.I.b")
                        void b(byte[] value);
                    }
                    """;
            default -> """
                    package gen;

                    import dev.tracewire.annotations.Header;
                    import dev.tracewire.annotations.Subject;
                    import dev.tracewire.annotations.TracedConsumer;

                    @TracedConsumer(group = "queue-I")
                    public interface NAME {
                        @Subject("subject.I.a")
                        void a(String value, @Header("tenant") String tenant);

                        @Subject("subject.I.b")
                        void b(byte[] value);
                    }
                    """;
        };
        return template.replace("NAME", name).replace("-I-", "-" + i + "-").replace(".I.", "." + i + ".")
                .replace("group-I", "group-" + i).replace("queue-I", "queue-" + i);
    }

    @Setup(Level.Invocation)
    public void freshOutput() throws IOException {
        out = Files.createTempDirectory(root, "out");
    }

    @TearDown(Level.Invocation)
    public void dropOutput() throws IOException {
        delete(out);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        delete(root);
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void compile(List<File> sources, List<String> extraOptions) {
        List<String> options = new ArrayList<>(List.of("--release", "17", "-classpath", classPath,
                "-implicit:none", "-nowarn"));
        options.addAll(extraOptions);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjectsFromFiles(sources))
                    .call();
            if (!ok) {
                throw new IllegalStateException("javac failed: " + diagnostics.getDiagnostics());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A: the interfaces alone, no processor. */
    @Benchmark
    public Path interfacesOnly() {
        compile(interfaceSources, List.of("-proc:none", "-d", out.toString()));
        return out;
    }

    /** B: the interfaces plus the already generated sources, no processor. */
    @Benchmark
    public Path interfacesPlusGenerated() {
        List<File> all = new ArrayList<>(interfaceSources);
        all.addAll(generatedSources);
        compile(all, List.of("-proc:none", "-d", out.toString()));
        return out;
    }

    /** D: the interfaces with a processor that only writes the already generated sources. */
    @Benchmark
    public Path withCopyingProcessor() {
        compile(interfaceSources, List.of("-processorpath", classPath, "-processor", CopyingProcessor.class.getName(),
                "-A" + CopyingProcessor.GENERATED_OPTION + "=" + generatedRoot, "-s", out.toString(),
                "-d", out.toString()));
        return out;
    }

    /** C: the interfaces with the processor, which generates the sources and javac compiles them. */
    @Benchmark
    public Path withProcessor() {
        compile(interfaceSources, List.of("-processorpath", classPath, "-processor", PROCESSOR,
                "-s", out.toString(), "-d", out.toString()));
        return out;
    }
}
