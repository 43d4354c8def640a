package dev.tracewire.sample.orchestrator;

import dev.tracewire.sample.infra.Brokers;
import io.opentelemetry.api.OpenTelemetry;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * The orchestrator service, wired by Spring: the generated classes are {@code @Component}s
 * ({@code componentModel = SPRING}), found by scanning this package beside {@link Orchestrator};
 * the generated JetStream consumer runs from the context's start to its close.
 */
public final class OrchestratorService implements AutoCloseable {

    private final AnnotationConfigApplicationContext context;

    private OrchestratorService(AnnotationConfigApplicationContext context) {
        this.context = context;
    }

    /** Starts the context, traced with {@code openTelemetry} (the service's own SDK). */
    public static OrchestratorService start(Brokers brokers, OpenTelemetry openTelemetry) {
        // README: spring context
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.register(new OrchestratorBeans(brokers, openTelemetry));
        context.scan("dev.tracewire.sample.orchestrator"); // Orchestrator, TracedAlertHandler, TracedInventory, TracedWorkOrders
        context.refresh();                                  // starts TracedAlertHandler's JetStream consumer
        // README: end
        return new OrchestratorService(context);
    }

    public Orchestrator orchestrator() {
        return context.getBean(Orchestrator.class);
    }

    /** Stops the consumer (the alert in flight is finished and acknowledged), then closes the clients. */
    @Override
    public void close() {
        context.close();
    }
}
