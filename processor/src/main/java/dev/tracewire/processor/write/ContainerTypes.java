package dev.tracewire.processor.write;

import com.squareup.javapoet.ClassName;
import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.Role;
import java.util.List;
import java.util.Set;

/**
 * The types of the containers that a generated class of a component model names: named here,
 * never loaded, and named in generated code only when that model is chosen.
 */
public final class ContainerTypes {

    private static final String JAKARTA_INJECT = "jakarta.inject";
    private static final String SPRING_CONTEXT = "org.springframework.context";

    public static final ClassName INJECT = ClassName.get(JAKARTA_INJECT, "Inject");
    public static final ClassName SINGLETON = ClassName.get(JAKARTA_INJECT, "Singleton");
    public static final ClassName PROVIDER = ClassName.get(JAKARTA_INJECT, "Provider");

    public static final ClassName COMPONENT = ClassName.get("org.springframework.stereotype", "Component");
    public static final ClassName SMART_LIFECYCLE = ClassName.get(SPRING_CONTEXT, "SmartLifecycle");
    public static final ClassName OBJECT_PROVIDER = ClassName.get("org.springframework.beans.factory",
            "ObjectProvider");

    private ContainerTypes() {
    }

    /** The qualified names of the annotations that generated classes of some component model carry. */
    public static Set<String> annotations() {
        return Set.of(INJECT.canonicalName(), SINGLETON.canonicalName(), COMPONENT.canonicalName());
    }

    /** The types a class of {@code role} generated for {@code model} names, which must be on the class path. */
    public static List<ClassName> required(ComponentModel model, Role role) {
        return switch (model) {
            case DEFAULT -> List.of();
            case JAKARTA -> role == Role.CONSUMER ? List.of(SINGLETON, INJECT, PROVIDER) : List.of(SINGLETON, INJECT);
            case SPRING -> role == Role.CONSUMER ? List.of(COMPONENT, SMART_LIFECYCLE, OBJECT_PROVIDER)
                    : List.of(COMPONENT);
        };
    }

    /** The artifact that brings the types of {@code model}, as a fix in diagnostics. */
    public static String artifact(ComponentModel model) {
        return switch (model) {
            case DEFAULT -> "nothing";
            case JAKARTA -> "jakarta.inject:jakarta.inject-api (2.0 or newer)";
            case SPRING -> "org.springframework:spring-context";
        };
    }
}
