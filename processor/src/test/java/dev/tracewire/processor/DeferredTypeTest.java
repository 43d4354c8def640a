package dev.tracewire.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.tracewire.processor.diag.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * An interface whose payload type another processor generates in the same compilation waits for
 * that type instead of failing.
 */
class DeferredTypeTest {

    /**
     * Generates {@code test.GeneratedPayload} when it sees {@code @test.GeneratePayload}, like a
     * code generator for data types.
     */
    static final class PayloadProcessor extends AbstractProcessor {
        private boolean generated;

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("test.GeneratePayload");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!generated && !annotations.isEmpty()) {
                generated = true;
                try {
                    JavaFileObject file = processingEnv.getFiler().createSourceFile("test.GeneratedPayload");
                    try (Writer writer = file.openWriter()) {
                        writer.write("package test;\npublic record GeneratedPayload(String text) {}\n");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return false;
        }
    }

    private static final JavaFileObject GENERATE_PAYLOAD = JavaFileObjects.forSourceLines("test.GeneratePayload",
            "package test;",
            "",
            "public @interface GeneratePayload {",
            "}");

    private static final JavaFileObject SEED = JavaFileObjects.forSourceLines("test.Seed",
            "package test;",
            "",
            "@GeneratePayload",
            "final class Seed {",
            "}");

    private static final JavaFileObject EVENTS = JavaFileObjects.forSourceLines("test.Events",
            "package test;",
            "",
            "import dev.tracewire.annotations.Topic;",
            "import dev.tracewire.annotations.TracedPublisher;",
            "",
            "@TracedPublisher",
            "public interface Events {",
            "    @Topic(\"events\")",
            "    void sent(GeneratedPayload payload);",
            "}");

    @Test
    void waitsForATypeAnotherProcessorGeneratesInALaterRound() throws IOException {
        Compilation compilation = Compiler.javac()
                .withProcessors(new TracewireProcessor(), new PayloadProcessor())
                .compile(EVENTS, GENERATE_PAYLOAD, SEED);

        assertThat(compilation.status()).as(compilation.diagnostics().toString())
                .isEqualTo(Compilation.Status.SUCCESS);
        JavaFileObject traced = compilation.generatedSourceFile("test.TracedEvents").orElseThrow();
        assertThat(traced.getCharContent(true).toString())
                .contains("KafkaSender<Object, GeneratedPayload> sent")
                .contains("sent.sendAndForget(sent.record(null, payload));");
    }

    @Test
    void reportsATypeThatNeverAppears() {
        Compilation compilation = Compiler.javac().withProcessors(new TracewireProcessor()).compile(EVENTS);

        assertThat(compilation.status()).isEqualTo(Compilation.Status.FAILURE);
        assertThat(compilation.errors()).anySatisfy(error -> assertThat(error.getMessage(null))
                .startsWith("[" + Message.UNRESOLVED_TYPE.id() + "]")
                .contains("GeneratedPayload"));
    }
}
