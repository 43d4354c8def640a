package dev.tracewire.processor.write;

import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.InterfaceModel;
import javax.lang.model.element.Modifier;

/**
 * How a consumer that a container makes follows the container's lifecycle, for every messaging
 * system: the subscription is started and closed through the runtime's {@code ConsumerLifecycle},
 * by {@code SmartLifecycle}'s {@code start}/{@code stop} for Spring, and by {@code start} and
 * {@code close} hooks for JSR-330 containers, which have no common lifecycle annotations.
 */
public final class ContainerLifecycle {

    private static final String FIELD = "lifecycle";

    private ContainerLifecycle() {
    }

    /** Whether a container makes and runs the consumer (its model is not the plain one). */
    public static boolean managed(InterfaceModel<?> model) {
        return model.componentModel() != ComponentModel.DEFAULT;
    }

    /** A factory of {@code client}, one new client per start: {@code Provider<C>} or {@code ObjectProvider<C>}. */
    public static TypeName factoryOf(InterfaceModel<?> model, TypeName client) {
        return ParameterizedTypeName.get(model.componentModel() == ComponentModel.SPRING
                ? ContainerTypes.OBJECT_PROVIDER : ContainerTypes.PROVIDER, client);
    }

    /** A new client from the factory parameter {@code factory}. */
    public static CodeBlock newClient(InterfaceModel<?> model, String factory) {
        return CodeBlock.of(model.componentModel() == ComponentModel.SPRING ? "$N.getObject()" : "$N.get()", factory);
    }

    /** The constructor's statement that makes the lifecycle, starting subscriptions with {@code start}. */
    public static CodeBlock initializer(CodeBlock start) {
        return CodeBlock.of("this.$N = new $T(() -> $L)", FIELD, RuntimeTypes.CONSUMER_LIFECYCLE, start);
    }

    /**
     * Adds the lifecycle to the consumer's class: its field, the container's interface and the
     * methods the container (or, for JSR-330, the user) calls.
     *
     * @param what what a start subscribes, for the Javadoc, as in {@code a new consumer from
     *     {@code consumers} to the topics}
     */
    public static TypeSpec.Builder addTo(TypeSpec.Builder type, InterfaceModel<?> model, CodeBlock what) {
        type.addField(FieldSpec.builder(RuntimeTypes.CONSUMER_LIFECYCLE, FIELD, Modifier.PRIVATE, Modifier.FINAL)
                .build());
        boolean spring = model.componentModel() == ComponentModel.SPRING;
        type.addSuperinterface(spring ? ContainerTypes.SMART_LIFECYCLE : TypeName.get(AutoCloseable.class));
        MethodSpec.Builder start = MethodSpec.methodBuilder("start")
                .addJavadoc("Subscribes $L\nuntil it is stopped; does nothing while it runs.\n", what)
                .addJavadoc(spring ? "Spring calls it when the context starts.\n"
                        : "Call it when your container has started (Dagger, Guice and others have no hook for it).\n")
                .addModifiers(Modifier.PUBLIC)
                .addStatement("$N.start()", FIELD);
        MethodSpec.Builder stop = MethodSpec.methodBuilder(spring ? "stop" : "close")
                .addJavadoc("Finishes the message in flight, commits or acknowledges what was handled and\n")
                .addJavadoc("unsubscribes, within the options' close timeout; does nothing when not running.\n")
                .addJavadoc(spring ? "Spring calls it when the context stops or closes.\n"
                        : "Call it when your container shuts down.\n")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addStatement("$N.stop()", FIELD);
        if (spring) {
            start.addAnnotation(Override.class);
        }
        MethodSpec.Builder running = MethodSpec.methodBuilder("isRunning")
                .addJavadoc("Whether the subscription runs: started, and neither stopped nor stopped by itself.\n")
                .addModifiers(Modifier.PUBLIC)
                .returns(TypeName.BOOLEAN)
                .addStatement("return $N.isRunning()", FIELD);
        if (spring) {
            running.addAnnotation(Override.class);
        }
        return type.addMethod(start.build()).addMethod(stop.build()).addMethod(running.build());
    }
}
