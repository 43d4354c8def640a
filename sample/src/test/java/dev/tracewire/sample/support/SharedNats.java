package dev.tracewire.sample.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.tracewire.sample.infra.NatsServerProcess;

/**
 * One {@link NatsServerProcess} (with JetStream) per test JVM, shared by the end-to-end tests
 * (each test uses its own subjects and streams).
 *
 * <pre>
 * &#64;ExtendWith(SharedNats.Extension.class)
 * class InvoiceFlowTest {
 *     &#64;Test
 *     void flows(NatsServerProcess nats) { ... }       // or SharedNats.get() anywhere in the class
 * }
 * </pre>
 */
public final class SharedNats {

    private static final SharedResource<NatsServerProcess> SHARED =
            new SharedResource<>("nats-server", NatsServerProcess::start);

    private SharedNats() {
    }

    /**
     * The shared server, started on first use. Prefer the {@link Extension}: without it, the
     * server is only stopped by a JVM shutdown hook.
     */
    public static NatsServerProcess get() {
        return SHARED.get();
    }

    /** Starts the shared server, registers its closing with JUnit and resolves {@link NatsServerProcess} parameters. */
    public static final class Extension implements BeforeAllCallback, ParameterResolver {

        @Override
        public void beforeAll(ExtensionContext context) {
            SHARED.get(context);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return parameterContext.getParameter().getType() == NatsServerProcess.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
            return SHARED.get(extensionContext);
        }
    }
}
