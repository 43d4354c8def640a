package dev.tracewire.processor.read;

import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.ParameterKind;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.model.SpanAttributeModel;
import dev.tracewire.processor.system.MessagingSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Classifies the parameters of a method, in one pass: the key, the headers and the payload (on a
 * consumer, a {@code List<T>} payload makes it a batch method, which has neither key nor headers),
 * as far as the method's system allows each, and the span attributes, as far as the role allows
 * them (a publisher's extra parameters; a consumer's key and headers). Each misuse is reported on the
 * parameter or on its annotation's value.
 */
final class ParameterReader {

    private static final Set<String> RESERVED_HEADERS = Set.of("traceparent", "tracestate", "baggage", "b3",
            "uber-trace-id");
    private static final List<String> RESERVED_HEADER_PREFIXES = List.of("x-b3-", "uberctx-");
    private static final String STRING = String.class.getCanonicalName();
    /** The declared types a span attribute can have, with the attribute type each is recorded as. */
    private static final Map<String, SpanAttributeModel.Type> BOXES = Map.of(
            STRING, SpanAttributeModel.Type.STRING,
            Boolean.class.getCanonicalName(), SpanAttributeModel.Type.BOOLEAN,
            Byte.class.getCanonicalName(), SpanAttributeModel.Type.LONG,
            Short.class.getCanonicalName(), SpanAttributeModel.Type.LONG,
            Integer.class.getCanonicalName(), SpanAttributeModel.Type.LONG,
            Long.class.getCanonicalName(), SpanAttributeModel.Type.LONG,
            Float.class.getCanonicalName(), SpanAttributeModel.Type.DOUBLE,
            Double.class.getCanonicalName(), SpanAttributeModel.Type.DOUBLE);

    private final Reporter reporter;
    private final Annotations annotations;

    ParameterReader(Reporter reporter, Annotations annotations) {
        this.reporter = reporter;
        this.annotations = annotations;
    }

    /**
     * The parameters of {@code method} of an interface of {@code role}, classified; empty when a
     * diagnostic was reported.
     */
    Optional<List<ClassifiedParameter>> read(ResolvedMethod method, MessagingSystem system, Role role) {
        int errorsBefore = reporter.errorCount();
        List<? extends VariableElement> elements = method.element().getParameters();
        List<ClassifiedParameter> parameters = new ArrayList<>();
        List<String> payloads = new ArrayList<>();
        List<String> headerNames = new ArrayList<>();
        List<String> attributeNames = new ArrayList<>();
        boolean hasKey = false;
        boolean batch = role == Role.CONSUMER && hasBatchPayload(method);
        for (int i = 0; i < elements.size(); i++) {
            VariableElement parameter = elements.get(i);
            TypeMirror type = method.type().getParameterTypes().get(i);
            String name = parameter.getSimpleName().toString();
            Optional<AnnotationMirror> key = Annotations.find(parameter, AnnotationNames.KEY);
            Optional<AnnotationMirror> header = Annotations.find(parameter, AnnotationNames.HEADER);
            Optional<AnnotationMirror> attribute = Annotations.find(parameter, AnnotationNames.SPAN_ATTRIBUTE);
            boolean alone = attribute.isPresent() && key.isEmpty() && header.isEmpty();
            if (alone && role == Role.CONSUMER) {
                reporter.error(Message.SPAN_ATTRIBUTE_TARGET, parameter, attribute.get(), name, method.displayName());
            }
            Optional<SpanAttributeModel> spanAttribute = attribute.isPresent() && !(alone && role == Role.CONSUMER)
                    ? readAttribute(parameter, type, attribute.get(), method, attributeNames) : Optional.empty();
            if (batch && key.isPresent()) {
                reporter.error(Message.BATCH_KEY, parameter, key.get(), name, method.displayName());
            } else if (batch && header.isPresent()) {
                reporter.error(Message.BATCH_HEADER, parameter, header.get(), name, method.displayName());
            } else if (key.isPresent() && header.isPresent()) {
                reporter.error(Message.KEY_AND_HEADER, parameter, header.get(), name);
            } else if (key.isPresent() && !system.parameterKinds().contains(ParameterKind.KEY)) {
                reporter.error(Message.KEY_ON_NATS, parameter, key.get(), name, system.name(), method.displayName());
            } else if (key.isPresent()) {
                if (hasKey) {
                    reporter.error(Message.TWO_KEYS, parameter, key.get(), method.displayName());
                }
                hasKey = true;
                parameters.add(new ClassifiedParameter(name, type, ParameterKind.KEY, Optional.empty(), spanAttribute));
            } else if (header.isPresent()) {
                readHeader(parameter, type, header.get(), method, headerNames, system, spanAttribute)
                        .ifPresent(parameters::add);
            } else if (alone && role == Role.PUBLISHER) {
                spanAttribute.ifPresent(extra -> parameters.add(
                        new ClassifiedParameter(name, type, ParameterKind.EXTRA, Optional.empty(), spanAttribute)));
            } else {
                payloads.add(name);
                if (payloads.size() == 2) {
                    reporter.error(Message.TWO_PAYLOADS, parameter, method.displayName(), String.join(", ", payloads),
                            otherParameterFix(system));
                }
                Optional<TypeMirror> element = role == Role.CONSUMER ? Mirrors.listElement(type) : Optional.empty();
                system.checkPayload(parameter, element.orElse(type), method.displayName());
                parameters.add(new ClassifiedParameter(name, type,
                        element.isPresent() ? ParameterKind.BATCH_PAYLOAD : ParameterKind.PAYLOAD, Optional.empty(),
                        Optional.empty()));
            }
        }
        return reporter.errorCount() == errorsBefore ? Optional.of(parameters) : Optional.empty();
    }

    /**
     * Whether a consumer method takes a batch: one of its parameters without an annotation of
     * tracewire's is a {@code List<T>} (of the message's payloads).
     */
    private static boolean hasBatchPayload(ResolvedMethod method) {
        List<? extends VariableElement> elements = method.element().getParameters();
        for (int i = 0; i < elements.size(); i++) {
            VariableElement parameter = elements.get(i);
            if (!Annotations.has(parameter, AnnotationNames.KEY) && !Annotations.has(parameter, AnnotationNames.HEADER)
                    && !Annotations.has(parameter, AnnotationNames.SPAN_ATTRIBUTE)
                    && Mirrors.listElement(method.type().getParameterTypes().get(i)).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** The span attribute of a {@code @SpanAttribute} parameter: a name, used once, and a type it can have. */
    private Optional<SpanAttributeModel> readAttribute(VariableElement parameter, TypeMirror type,
            AnnotationMirror annotation, ResolvedMethod method, List<String> attributeNames) {
        String name = parameter.getSimpleName().toString();
        Annotations.Value value = annotations.value(annotation, "value");
        String attributeName = value.string();
        if (attributeName.isBlank()) {
            reporter.error(Message.BLANK_SPAN_ATTRIBUTE, parameter, annotation, value.value(), name);
            return Optional.empty();
        }
        if (attributeNames.contains(attributeName)) {
            reporter.error(Message.DUPLICATE_SPAN_ATTRIBUTE, parameter, annotation, value.value(), attributeName,
                    method.displayName());
            return Optional.empty();
        }
        attributeNames.add(attributeName);
        Optional<SpanAttributeModel.Type> attributeType = attributeType(type);
        if (attributeType.isEmpty()) {
            reporter.error(Message.SPAN_ATTRIBUTE_TYPE, parameter, name, type);
            return Optional.empty();
        }
        return Optional.of(new SpanAttributeModel(attributeName, attributeType.get()));
    }

    /** The attribute type a parameter of {@code type} is recorded as; empty for a type no attribute has. */
    private static Optional<SpanAttributeModel.Type> attributeType(TypeMirror type) {
        return switch (type.getKind()) {
            case BOOLEAN -> Optional.of(SpanAttributeModel.Type.BOOLEAN);
            case BYTE, SHORT, INT, LONG -> Optional.of(SpanAttributeModel.Type.LONG);
            case FLOAT, DOUBLE -> Optional.of(SpanAttributeModel.Type.DOUBLE);
            case DECLARED -> BOXES.entrySet().stream()
                    .filter(box -> Mirrors.isNamed(type, box.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst();
            default -> Optional.empty();
        };
    }

    private Optional<ClassifiedParameter> readHeader(VariableElement parameter, TypeMirror type,
            AnnotationMirror annotation, ResolvedMethod method, List<String> headerNames, MessagingSystem system,
            Optional<SpanAttributeModel> spanAttribute) {
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
                    method.displayName());
            return Optional.empty();
        }
        headerNames.add(headerName);
        boolean bytes = system.parameterKinds().contains(ParameterKind.BYTES_HEADER);
        ParameterKind kind;
        if (Mirrors.isNamed(type, STRING)) {
            kind = ParameterKind.STRING_HEADER;
        } else if (bytes && Mirrors.isByteArray(type)) {
            kind = ParameterKind.BYTES_HEADER;
        } else {
            reporter.error(Message.HEADER_TYPE, parameter, name, type, system.name(),
                    bytes ? "String (sent as UTF-8) or byte[]" : "String (sent as UTF-8)");
            return Optional.empty();
        }
        return Optional.of(new ClassifiedParameter(name, type, kind, Optional.of(headerName), spanAttribute));
    }

    /** What a parameter that is not the payload can be instead, in {@code system}. */
    private static String otherParameterFix(MessagingSystem system) {
        return system.parameterKinds().contains(ParameterKind.KEY) ? "@Key or @Header(\"name\")" : "@Header(\"name\")";
    }

    private static boolean isReserved(String headerName) {
        String lower = headerName.toLowerCase(Locale.ROOT);
        return RESERVED_HEADERS.contains(lower) || RESERVED_HEADER_PREFIXES.stream().anyMatch(lower::startsWith);
    }
}
