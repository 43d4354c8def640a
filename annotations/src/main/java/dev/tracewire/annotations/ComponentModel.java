package dev.tracewire.annotations;

/**
 * The component models a generated class can follow, for {@link TracedPublisher#componentModel()}
 * and {@link TracedConsumer#componentModel()}, and for the processor option
 * {@code -Atracewire.defaultComponentModel}. The generated class names a container's types only
 * when its model is chosen, so a build without that container is unaffected by the others.
 */
public final class ComponentModel {

    /**
     * A plain class that you construct with {@code new} (or in a factory method of any container);
     * consumers are started with {@code start(client)}. What the processor generates when nothing
     * else is chosen.
     */
    public static final String DEFAULT = "default";

    /**
     * A JSR-330 component ({@code jakarta.inject}): a {@code @Singleton} with one {@code @Inject}
     * constructor, for Dagger, Guice, Micronaut, Quarkus, CDI and any other container that reads
     * those annotations. A publisher's constructor takes the client and {@code TracewireOptions}; a
     * consumer's takes your handler, a {@code Provider} of the Kafka {@code Consumer} (a new one
     * per start) or the NATS {@code Connection}, and {@code TracewireOptions}, and the class has
     * {@code start()} and {@code close()} for your container's start-up and shutdown.
     */
    public static final String JAKARTA = "jakarta";

    /**
     * A Spring {@code @Component} with one constructor, taking the same as {@link #JAKARTA}'s (an
     * {@code ObjectProvider} of the Kafka {@code Consumer}); a consumer is a {@code SmartLifecycle}
     * that starts when the context starts and finishes the message in flight, commits and closes
     * when it stops.
     */
    public static final String SPRING = "spring";

    private ComponentModel() {
    }
}
