package dev.tracewire.processor.read;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.TypeName;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.model.MessagingSystem;
import dev.tracewire.processor.model.MethodModel;
import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.ParameterModel;
import dev.tracewire.processor.model.ReturnKind;
import dev.tracewire.processor.model.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads an annotated interface into an {@link InterfaceModel}, reporting every misuse it finds on
 * the way, pinned to the annotation value, parameter or method at fault. Returns a model only when
 * it reported nothing.
 */
public final class InterfaceReader {

    private static final Set<String> RESERVED_HEADERS = Set.of("traceparent", "tracestate", "baggage", "b3",
            "uber-trace-id");
    private static final List<String> RESERVED_HEADER_PREFIXES = List.of("x-b3-", "uberctx-");

    private final Types types;
    private final Reporter reporter;
    private final Annotations annotations;
    private final AbstractMethods abstractMethods;
    private final CommonType commonType;
    private final NatsReturns natsReturns;

    public InterfaceReader(Elements elements, Types types, Reporter reporter) {
        this.types = types;
        this.reporter = reporter;
        this.annotations = new Annotations(elements);
        this.abstractMethods = new AbstractMethods(elements, types);
        this.commonType = new CommonType(elements, types);
        this.natsReturns = new NatsReturns(reporter, commonType);
    }

    /** The annotation that gives {@code role}, by qualified name. */
    public static String annotationOf(Role role) {
        return role == Role.PUBLISHER ? AnnotationNames.TRACED_PUBLISHER : AnnotationNames.TRACED_CONSUMER;
    }

    /**
     * Whether {@code type} carries both roles; the processor then reads it once, as a consumer,
     * which reports that (and anything else wrong with the declaration) once.
     */
    public static boolean hasBothRoles(TypeElement type) {
        return Annotations.has(type, AnnotationNames.TRACED_PUBLISHER)
                && Annotations.has(type, AnnotationNames.TRACED_CONSUMER);
    }

    /** Every annotation of tracewire's, by qualified name: the ones the processor claims. */
    public static Set<String> supportedAnnotations() {
        return Set.of(AnnotationNames.TRACED_PUBLISHER, AnnotationNames.TRACED_CONSUMER, AnnotationNames.TOPIC,
                AnnotationNames.SUBJECT, AnnotationNames.KEY, AnnotationNames.HEADER);
    }

    /**
     * The first type the interface's methods refer to that does not exist (yet): a type another
     * processor may still generate in a later round.
     */
    public Optional<String> unresolvedType(TypeElement type) {
        if (type.getKind() != ElementKind.INTERFACE) {
            return Optional.empty();
        }
        DeclaredType declared = (DeclaredType) type.asType();
        for (ExecutableElement method : abstractMethods.of(type)) {
            ExecutableType resolved = (ExecutableType) types.asMemberOf(declared, method);
            List<TypeMirror> mentioned = new ArrayList<>(resolved.getParameterTypes());
            mentioned.add(resolved.getReturnType());
            mentioned.addAll(resolved.getThrownTypes());
            for (TypeMirror typeMirror : mentioned) {
                if (containsError(typeMirror)) {
                    return Optional.of(typeMirror.toString());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean containsError(TypeMirror type) {
        if (type.getKind() == TypeKind.ERROR) {
            return true;
        }
        if (type instanceof DeclaredType declared) {
            return declared.getTypeArguments().stream().anyMatch(InterfaceReader::containsError);
        }
        if (type instanceof ArrayType array) {
            return containsError(array.getComponentType());
        }
        return false;
    }

    /** Reads {@code type} in {@code role}; empty when a diagnostic was reported. */
    public Optional<ReadInterface> read(TypeElement type, Role role) {
        AnnotationMirror annotation = Annotations.find(type, annotationOf(role)).orElseThrow();
        int errorsBefore = reporter.errorCount();
        if (!checkDeclaration(type, role, annotation)) {
            return Optional.empty();
        }
        String group = role == Role.CONSUMER ? annotations.value(annotation, "group").string() : "";
        List<ExecutableElement> methodElements = abstractMethods.of(type);
        if (methodElements.isEmpty()) {
            reporter.error(Message.NO_METHODS, type, annotation, type.getSimpleName());
            return Optional.empty();
        }
        DeclaredType declared = (DeclaredType) type.asType();
        List<ResolvedMethod> resolved = new ArrayList<>();
        for (ExecutableElement method : methodElements) {
            resolved.add(new ResolvedMethod(method, (ExecutableType) types.asMemberOf(declared, method)));
        }
        MessagingSystem system = systemOf(methodElements);
        boolean kafka = system == MessagingSystem.KAFKA;
        TypeMirror keyType = kafka ? commonType.of(partTypes(resolved, ParameterKind.KEY)) : null;
        TypeMirror valueType = kafka ? commonType.of(partTypes(resolved, ParameterKind.PAYLOAD)) : null;
        List<MethodModel> methods = new ArrayList<>();
        for (ResolvedMethod method : resolved) {
            methods.add(readMethod(type, role, system, method, keyType, valueType));
        }
        if (reporter.errorCount() != errorsBefore) {
            return Optional.empty();
        }
        InterfaceModel model = new InterfaceModel(ClassName.get(type), role, system,
                type.getModifiers().contains(Modifier.PUBLIC), group, typeName(keyType), typeName(valueType),
                methods);
        return Optional.of(new ReadInterface(model, type, methodElements));
    }

    private boolean checkDeclaration(TypeElement type, Role role, AnnotationMirror annotation) {
        if (type.getKind() != ElementKind.INTERFACE) {
            reporter.error(Message.NOT_AN_INTERFACE, type, annotation, simpleName(annotationOf(role)),
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

    /** The system of the interface: that of its first method that names a destination. */
    private static MessagingSystem systemOf(List<ExecutableElement> methods) {
        for (ExecutableElement method : methods) {
            if (Annotations.has(method, AnnotationNames.TOPIC)) {
                return MessagingSystem.KAFKA;
            }
            if (Annotations.has(method, AnnotationNames.SUBJECT)) {
                return MessagingSystem.NATS;
            }
        }
        return MessagingSystem.KAFKA;
    }

    private MethodModel readMethod(TypeElement type, Role role, MessagingSystem system, ResolvedMethod method,
            TypeMirror keyType, TypeMirror valueType) {
        ExecutableElement element = method.element();
        String displayName = type.getSimpleName() + "." + element.getSimpleName() + "()";
        Destination destination = readDestination(element, displayName, system);
        if (!element.getTypeParameters().isEmpty()) {
            reporter.error(Message.GENERIC_METHOD, element, displayName);
        }
        if (element.isVarArgs()) {
            reporter.error(Message.VARARGS, element, displayName);
        }
        List<ParameterModel> parameters = readParameters(role, system, method, displayName, keyType, valueType);
        TypeMirror returnType = method.type().getReturnType();
        List<TypeName> thrown = method.type().getThrownTypes().stream().map(TypeName::get).toList();
        ReturnKind returnKind;
        TypeName replyType = null;
        if (system == MessagingSystem.NATS) {
            NatsReturn natsReturn = natsReturns.read(role, element, returnType, displayName, destination.stream());
            returnKind = natsReturn.kind();
            replyType = natsReturn.replyType();
        } else {
            returnKind = readReturnKind(role, element, returnType, displayName);
        }
        return new MethodModel(element.getSimpleName().toString(), destination.name(), destination.stream(),
                TypeName.get(returnType), returnKind, parameters, thrown, replyType);
    }

    private Destination readDestination(ExecutableElement method, String displayName, MessagingSystem system) {
        Optional<AnnotationMirror> topic = Annotations.find(method, AnnotationNames.TOPIC);
        Optional<AnnotationMirror> subject = Annotations.find(method, AnnotationNames.SUBJECT);
        if (topic.isEmpty() && subject.isEmpty()) {
            reporter.error(Message.MISSING_DESTINATION, method, displayName);
            return new Destination("", "");
        }
        if (topic.isPresent() && subject.isPresent()) {
            reporter.error(Message.BOTH_DESTINATIONS, method, subject.get(), displayName);
            return new Destination("", "");
        }
        MessagingSystem own = topic.isPresent() ? MessagingSystem.KAFKA : MessagingSystem.NATS;
        AnnotationMirror annotation = topic.orElseGet(subject::get);
        if (own != system) {
            reporter.error(Message.MIXED_SYSTEMS, method, annotation, displayName, describe(own), describe(system));
        }
        Annotations.Value value = annotations.value(annotation, "value");
        if (value.string().isBlank()) {
            reporter.error(Message.BLANK_DESTINATION, method, value.annotation(), value.value(), displayName);
        }
        String stream = subject.isPresent() ? annotations.value(annotation, "stream").string().strip() : "";
        return new Destination(value.string(), stream);
    }

    private static String describe(MessagingSystem system) {
        return system == MessagingSystem.KAFKA ? "Kafka (@Topic)" : "NATS (@Subject)";
    }

    /** Where a method sends to or reads from. */
    private record Destination(String name, String stream) {
    }

    private List<ParameterModel> readParameters(Role role, MessagingSystem system, ResolvedMethod method,
            String displayName, TypeMirror keyType, TypeMirror valueType) {
        List<? extends VariableElement> elements = method.element().getParameters();
        List<ParameterModel> parameters = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        List<String> headerNames = new ArrayList<>();
        boolean hasKey = false;
        for (int i = 0; i < elements.size(); i++) {
            VariableElement parameter = elements.get(i);
            TypeMirror type = method.type().getParameterTypes().get(i);
            String name = parameter.getSimpleName().toString();
            Optional<AnnotationMirror> key = Annotations.find(parameter, AnnotationNames.KEY);
            Optional<AnnotationMirror> header = Annotations.find(parameter, AnnotationNames.HEADER);
            if (key.isPresent() && header.isPresent()) {
                reporter.error(Message.KEY_AND_HEADER, parameter, header.get(), name);
            } else if (key.isPresent() && system == MessagingSystem.NATS) {
                reporter.error(Message.KEY_ON_NATS, parameter, key.get(), name, displayName);
            } else if (key.isPresent()) {
                if (hasKey) {
                    reporter.error(Message.TWO_KEYS, parameter, key.get(), displayName);
                }
                hasKey = true;
                parameters.add(part(role, name, type, ParameterKind.KEY, keyType));
            } else if (header.isPresent()) {
                readHeader(parameter, type, header.get(), displayName, headerNames, system)
                        .ifPresent(parameters::add);
            } else {
                payloads.add(name);
                if (payloads.size() == 2) {
                    reporter.error(Message.TWO_PAYLOADS, parameter, displayName, String.join(", ", payloads));
                }
                if (system == MessagingSystem.NATS) {
                    natsReturns.checkClass(parameter, type, "payload " + name, displayName);
                    parameters.add(new ParameterModel(name, TypeName.get(type), ParameterKind.PAYLOAD, null, null));
                } else {
                    parameters.add(part(role, name, type, ParameterKind.PAYLOAD, valueType));
                }
            }
        }
        return parameters;
    }

    private ParameterModel part(Role role, String name, TypeMirror type, ParameterKind kind, TypeMirror clientType) {
        TypeMirror boxed = commonType.boxed(type);
        boolean cast = role == Role.CONSUMER && !commonType.same(boxed, clientType);
        return new ParameterModel(name, TypeName.get(type), kind, null, cast ? TypeName.get(boxed) : null);
    }

    private Optional<ParameterModel> readHeader(VariableElement parameter, TypeMirror type,
            AnnotationMirror annotation, String displayName, List<String> headerNames, MessagingSystem system) {
        String name = parameter.getSimpleName().toString();
        Annotations.Value value = annotations.value(annotation, "value");
        String headerName = value.string();
        if (headerName.isBlank()) {
            reporter.error(Message.BLANK_HEADER_NAME, parameter, annotation, value.value(), name);
            return Optional.empty();
        }
        if (isReserved(headerName)) {
            reporter.error(Message.RESERVED_HEADER_NAME, parameter, annotation, value.value(), headerName);
            return Optional.empty();
        }
        if (headerNames.contains(headerName)) {
            reporter.error(Message.DUPLICATE_HEADER_NAME, parameter, annotation, value.value(), headerName,
                    displayName);
            return Optional.empty();
        }
        headerNames.add(headerName);
        ParameterKind kind;
        if (isString(type)) {
            kind = ParameterKind.STRING_HEADER;
        } else if (isByteArray(type) && system == MessagingSystem.KAFKA) {
            kind = ParameterKind.BYTES_HEADER;
        } else {
            reporter.error(Message.HEADER_TYPE, parameter, name, type);
            return Optional.empty();
        }
        return Optional.of(new ParameterModel(name, TypeName.get(type), kind, headerName, null));
    }

    private ReturnKind readReturnKind(Role role, ExecutableElement method, TypeMirror returnType,
            String displayName) {
        if (returnType.getKind() == TypeKind.VOID) {
            return ReturnKind.VOID;
        }
        if (role == Role.CONSUMER) {
            reporter.error(Message.CONSUMER_RETURN_TYPE, method, displayName, returnType);
            return ReturnKind.VOID;
        }
        if (isNamed(returnType, AnnotationNames.RECORD_METADATA)) {
            return ReturnKind.BLOCKING;
        }
        if (returnType instanceof DeclaredType declared && declared.getTypeArguments().size() == 1
                && isNamed(declared.getTypeArguments().get(0), AnnotationNames.RECORD_METADATA)
                && (isNamed(returnType, AnnotationNames.COMPLETABLE_FUTURE)
                        || isNamed(returnType, AnnotationNames.COMPLETION_STAGE)
                        || isNamed(returnType, AnnotationNames.FUTURE))) {
            return ReturnKind.FUTURE;
        }
        reporter.error(Message.PUBLISHER_RETURN_TYPE, method, displayName, returnType);
        return ReturnKind.VOID;
    }

    private List<TypeMirror> partTypes(List<ResolvedMethod> methods, ParameterKind kind) {
        List<TypeMirror> result = new ArrayList<>();
        boolean wantKeys = kind == ParameterKind.KEY;
        for (ResolvedMethod method : methods) {
            List<? extends VariableElement> parameters = method.element().getParameters();
            for (int i = 0; i < parameters.size(); i++) {
                VariableElement parameter = parameters.get(i);
                boolean isKey = Annotations.has(parameter, AnnotationNames.KEY);
                boolean isHeader = Annotations.has(parameter, AnnotationNames.HEADER);
                boolean matches = wantKeys ? isKey && !isHeader : !isKey && !isHeader;
                if (matches) {
                    result.add(commonType.boxed(method.type().getParameterTypes().get(i)));
                }
            }
        }
        return result;
    }

    private TypeName typeName(TypeMirror type) {
        return type == null ? null : TypeName.get(type);
    }

    private static boolean isReserved(String headerName) {
        String lower = headerName.toLowerCase(Locale.ROOT);
        return RESERVED_HEADERS.contains(lower) || RESERVED_HEADER_PREFIXES.stream().anyMatch(lower::startsWith);
    }

    private static boolean isString(TypeMirror type) {
        return isNamed(type, String.class.getCanonicalName());
    }

    private static boolean isByteArray(TypeMirror type) {
        return type instanceof ArrayType array && array.getComponentType().getKind() == TypeKind.BYTE;
    }

    private static boolean isNamed(TypeMirror type, String qualifiedName) {
        return type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(qualifiedName);
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

    /** A method with its types as seen from the annotated interface (type variables bound). */
    private record ResolvedMethod(ExecutableElement element, ExecutableType type) {
    }
}
