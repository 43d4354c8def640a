package dev.tracewire.sample.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.tracewire.sample.infra.EmbeddedKafka;

/**
 * One {@link EmbeddedKafka} broker per test JVM: a first start costs seconds, so end-to-end tests
 * share it (each test uses its own topics and consumer groups).
 *
 * <pre>
 * &#64;ExtendWith(SharedKafka.Extension.class)
 * class OrderPipelineTest {
 *     &#64;Test
 *     void flows(EmbeddedKafka kafka) { ... }          // or SharedKafka.get() anywhere in the class
 * }
 * </pre>
 *
 * The extension starts the broker before the class's tests (so its start-up time is not charged
 * to the first test) and has JUnit close it after the whole run.
 */
public final class SharedKafka {

    private static final SharedResource<EmbeddedKafka> SHARED =
            new SharedResource<>("kafka", EmbeddedKafka::start);

    private SharedKafka() {
    }

    /**
     * The shared broker, started on first use. Prefer the {@link Extension}: without it, the broker
     * is only closed by a JVM shutdown hook.
     */
    public static EmbeddedKafka get() {
        return SHARED.get();
    }

    /** Starts the shared broker, registers its closing with JUnit and resolves {@link EmbeddedKafka} parameters. */
    public static final class Extension implements BeforeAllCallback, ParameterResolver {

        @Override
        public void beforeAll(ExtensionContext context) {
            SHARED.get(context);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return parameterContext.getParameter().getType() == EmbeddedKafka.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return SHARED.get(extensionContext);
        }
    }
}
