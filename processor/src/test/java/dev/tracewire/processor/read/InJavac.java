package dev.tracewire.processor.read;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Runs a test body against javac's {@link Elements} and {@link Types} for a few source lines. The
 * body runs inside a processor, during the first round, the only time those utilities are valid;
 * an assertion that fails in it fails the test.
 */
final class InJavac {

    @FunctionalInterface
    interface Body {
        void run(Elements elements, Types types);
    }

    private InJavac() {
    }

    /** Compiles {@code sourceLines} as {@code qualifiedName} and runs {@code body} against them. */
    static void run(String qualifiedName, String sourceLines, Body body) {
        BodyProcessor processor = new BodyProcessor(body);
        Compilation compilation = Compiler.javac()
                .withProcessors(processor)
                .compile(JavaFileObjects.forSourceString(qualifiedName, sourceLines));

        assertThat(compilation.status()).as(compilation.diagnostics().toString())
                .isEqualTo(Compilation.Status.SUCCESS);
        if (processor.failure instanceof AssertionError assertion) {
            throw assertion;
        }
        if (processor.failure instanceof RuntimeException unexpected) {
            throw unexpected;
        }
        assertThat(processor.ran).as("the body ran").isTrue();
    }

    /** Compiles a placeholder class and runs {@code body}, for tests of JDK types only. */
    static void run(Body body) {
        run("test.Placeholder", "package test; final class Placeholder {}", body);
    }

    private static final class BodyProcessor extends AbstractProcessor {

        private final Body body;
        private boolean ran;
        /** What the body threw: an assertion that failed, or an unexpected exception. */
        private Throwable failure;

        BodyProcessor(Body body) {
            this.body = body;
        }

        @Override
        public Set<String> getSupportedAnnotationTypes() {
            return Set.of("*");
        }

        @Override
        public SourceVersion getSupportedSourceVersion() {
            return SourceVersion.latestSupported();
        }

        @Override
        public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
            if (!ran) {
                ran = true;
                try {
                    body.run(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
                } catch (AssertionError | RuntimeException thrown) {
                    failure = thrown;
                }
            }
            return false;
        }
    }
}
