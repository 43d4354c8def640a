package dev.tracewire.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * {@code -Atracewire.defaultComponentModel} sets the model of every interface whose annotation
 * names none, and a model written on the annotation wins over it, {@code default} included.
 */
class ComponentModelOptionTest {

    private static final JavaFileObject UNNAMED = JavaFileObjects.forSourceString("test.Events", """
            package test;

            import dev.tracewire.annotations.Topic;
            import dev.tracewire.annotations.TracedPublisher;

            @TracedPublisher
            public interface Events {
                @Topic("events")
                void sent(String event);
            }
            """);

    private static final JavaFileObject PLAIN = JavaFileObjects.forSourceString("test.Plain", """
            package test;

            import dev.tracewire.annotations.ComponentModel;
            import dev.tracewire.annotations.Topic;
            import dev.tracewire.annotations.TracedPublisher;

            @TracedPublisher(componentModel = ComponentModel.DEFAULT)
            public interface Plain {
                @Topic("events")
                void sent(String event);
            }
            """);

    @Test
    void theOptionMakesSpringComponentsOfInterfacesThatNameNoModel() throws IOException {
        Compilation compilation = compile("-Atracewire.defaultComponentModel=spring");

        assertThat(source(compilation, "test.TracedEvents")).contains("@Component\npublic final class TracedEvents")
                .doesNotContain("TracedEvents(Producer<?, String> producer) {");
        assertThat(source(compilation, "test.TracedPlain")).doesNotContain("Component")
                .contains("public TracedPlain(Producer<?, String> producer) {");
    }

    @Test
    void withoutTheOptionClassesArePlain() throws IOException {
        Compilation compilation = compile();

        assertThat(source(compilation, "test.TracedEvents")).doesNotContain("Component").doesNotContain("jakarta");
    }

    @Test
    void theJakartaOptionMakesSingletonsWithAnInjectConstructor() throws IOException {
        Compilation compilation = compile("-Atracewire.defaultComponentModel=jakarta");

        assertThat(source(compilation, "test.TracedEvents")).contains("@Singleton\npublic final class TracedEvents")
                .contains("@Inject\n    public TracedEvents(Producer<?, String> producer, TracewireOptions options)");
    }

    private static Compilation compile(String... options) {
        Compilation compilation = Compiler.javac().withProcessors(new TracewireProcessor())
                .withOptions((Object[]) options).compile(UNNAMED, PLAIN);
        assertThat(compilation.status()).as(compilation.diagnostics().toString()).isEqualTo(Compilation.Status.SUCCESS);
        return compilation;
    }

    private static String source(Compilation compilation, String className) throws IOException {
        return compilation.generatedSourceFile(className).orElseThrow().getCharContent(true).toString();
    }
}
