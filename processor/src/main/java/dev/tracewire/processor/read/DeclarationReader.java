package dev.tracewire.processor.read;

import com.squareup.javapoet.ClassName;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.write.ContainerTypes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Validates what the annotated element declares, before any of its methods is read: an interface
 * with one role, not private, not generic, with methods to implement, and a component model whose
 * container types the compilation has. Each misuse is reported on the role's annotation (or its
 * value), and stops the reading of that interface.
 */
final class DeclarationReader {

    private final Elements elements;
    private final Types types;
    private final Reporter reporter;
    private final Annotations annotations;
    private final AbstractMethods abstractMethods;
    private final Systems systems;
    private final ComponentModel defaultModel;

    DeclarationReader(Elements elements, Types types, Reporter reporter, Annotations annotations,
            AbstractMethods abstractMethods, Systems systems, ComponentModel defaultModel) {
        this.elements = elements;
        this.types = types;
        this.reporter = reporter;
        this.annotations = annotations;
        this.abstractMethods = abstractMethods;
        this.systems = systems;
        this.defaultModel = defaultModel;
    }

    /**
     * Whether {@code type} carries both roles; the processor then reads it once, as a consumer,
     * which reports that (and anything else wrong with the declaration) once.
     */
    static boolean hasBothRoles(TypeElement type) {
        return Annotations.has(type, AnnotationNames.TRACED_PUBLISHER)
                && Annotations.has(type, AnnotationNames.TRACED_CONSUMER);
    }

    /** The declaration of {@code type} in {@code role}; empty when a diagnostic was reported. */
    Optional<Declaration> read(TypeElement type, Role role) {
        AnnotationMirror annotation = Annotations.find(type, AnnotationNames.of(role)).orElseThrow();
        if (!isValid(type, role, annotation)) {
            return Optional.empty();
        }
        List<ExecutableElement> methods = abstractMethods.of(type);
        if (methods.isEmpty()) {
            reporter.error(Message.NO_METHODS, type, annotation, type.getSimpleName(), systems.destinationFixes());
            return Optional.empty();
        }
        String group = role == Role.CONSUMER ? annotations.value(annotation, "group").string() : "";
        Optional<ComponentModel> componentModel = componentModel(type, role, annotation);
        if (componentModel.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Declaration(type, role, group, componentModel.get(),
                PropagationReader.ofInterface(type, annotation), resolved(type, methods)));
    }

    /**
     * The component model written on the role's annotation, else the processor's default; empty when
     * the value is not a model, or when the container types the model names are not on the class path
     * (reported on the value, or on the annotation when the model is the processor's default).
     */
    private Optional<ComponentModel> componentModel(TypeElement type, Role role, AnnotationMirror annotation) {
        Annotations.Value value = annotations.value(annotation, "componentModel");
        boolean written = !value.string().isEmpty();
        Optional<ComponentModel> model = written ? ComponentModel.of(value.string()) : Optional.of(defaultModel);
        if (model.isEmpty()) {
            reporter.error(Message.UNKNOWN_COMPONENT_MODEL, type, annotation, value.value(), "componentModel",
                    value.string(),
                    ComponentModel.choices());
            return Optional.empty();
        }
        List<String> missing = ContainerTypes.required(model.get(), role).stream()
                .map(ClassName::canonicalName)
                .filter(name -> elements.getTypeElement(name) == null)
                .toList();
        if (missing.isEmpty()) {
            return model;
        }
        Object[] arguments = {model.get().value(), type.getSimpleName(), String.join(", ", missing),
            ContainerTypes.artifact(model.get())};
        if (written) {
            reporter.error(Message.COMPONENT_MODEL_UNAVAILABLE, type, annotation, value.value(), arguments);
        } else {
            reporter.error(Message.COMPONENT_MODEL_UNAVAILABLE, type, annotation, arguments);
        }
        return Optional.empty();
    }

    private boolean isValid(TypeElement type, Role role, AnnotationMirror annotation) {
        if (type.getKind() != ElementKind.INTERFACE) {
            reporter.error(Message.NOT_AN_INTERFACE, type, annotation, simpleName(AnnotationNames.of(role)),
                    type.getSimpleName(), kindName(type.getKind()));
            return false;
        }
        if (hasBothRoles(type)) {
            reporter.error(Message.BOTH_ROLES, type, annotation, type.getSimpleName());
            return false;
        }
        for (Element enclosing = type; enclosing instanceof TypeElement; enclosing = enclosing.getEnclosingElement()) {
            if (enclosing.getModifiers().contains(Modifier.PRIVATE)) {
                reporter.error(Message.PRIVATE_INTERFACE, type, annotation, enclosing.getSimpleName());
                return false;
            }
        }
        if (!type.getTypeParameters().isEmpty()) {
            reporter.error(Message.GENERIC_INTERFACE, type, annotation, type.getSimpleName(), type.getSimpleName());
            return false;
        }
        return true;
    }

    private List<ResolvedMethod> resolved(TypeElement type, List<ExecutableElement> methods) {
        DeclaredType declared = (DeclaredType) type.asType();
        List<ResolvedMethod> resolved = new ArrayList<>();
        for (ExecutableElement method : methods) {
            resolved.add(new ResolvedMethod(method, (ExecutableType) types.asMemberOf(declared, method),
                    type.getSimpleName() + "." + method.getSimpleName() + "()"));
        }
        return resolved;
    }

    private static String simpleName(String qualifiedName) {
        return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }

    /** The kind with its article, as in "Events is an enum". */
    private static String kindName(ElementKind kind) {
        return switch (kind) {
            case ANNOTATION_TYPE -> "an annotation type";
            case ENUM -> "an enum";
            default -> "a " + kind.name().toLowerCase(Locale.ROOT);
        };
    }
}
