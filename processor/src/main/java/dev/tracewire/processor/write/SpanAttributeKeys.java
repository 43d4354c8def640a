package dev.tracewire.processor.write;

import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.CodeBlock;
import com.squareup.javapoet.FieldSpec;
import com.squareup.javapoet.NameAllocator;
import com.squareup.javapoet.ParameterizedTypeName;
import com.squareup.javapoet.TypeName;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.model.MethodModel;
import dev.tracewire.processor.model.ParameterModel;
import dev.tracewire.processor.model.SpanAttributeModel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * The span attributes of a generated class's methods ({@code @SpanAttribute}): one
 * {@code AttributeKey} constant per attribute name and type, created once when the class loads,
 * and the code that makes one message's {@code Attributes} out of them. A class without span
 * attributes gets nothing from here.
 */
public final class SpanAttributeKeys {

    /** {@code Attributes.of} takes up to this many key-value pairs; more go through its builder. */
    private static final int MAX_PAIRS_OF = 6;

    private final Map<SpanAttributeModel, String> constants;

    private SpanAttributeKeys(Map<SpanAttributeModel, String> constants) {
        this.constants = constants;
    }

    /**
     * The constants of {@code model}'s span attributes, in the order they first appear, named so
     * that they differ from {@code takenNames} (the class's other fields) and from every parameter.
     */
    public static SpanAttributeKeys of(InterfaceModel<?> model, Collection<String> takenNames) {
        NameAllocator names = new NameAllocator();
        takenNames.forEach(names::newName);
        model.methods().stream().flatMap(method -> method.parameters().stream())
                .map(ParameterModel::name).distinct().filter(name -> !takenNames.contains(name))
                .forEach(names::newName);
        Map<SpanAttributeModel, String> constants = new LinkedHashMap<>();
        for (MethodModel<?> method : model.methods()) {
            for (ParameterModel parameter : method.spanAttributes()) {
                constants.computeIfAbsent(parameter.spanAttribute().orElseThrow(),
                        attribute -> names.newName(GeneratedNames.attributeKeyConstant(attribute.name())));
            }
        }
        return new SpanAttributeKeys(constants);
    }

    /** The {@code private static final AttributeKey<T>} constants, one per attribute name and type. */
    public List<FieldSpec> fields() {
        List<FieldSpec> fields = new ArrayList<>();
        constants.forEach((attribute, name) -> fields.add(FieldSpec.builder(
                        ParameterizedTypeName.get(RuntimeTypes.ATTRIBUTE_KEY, valueClass(attribute.type())), name,
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .initializer("$T.$L($S)", RuntimeTypes.ATTRIBUTE_KEY, factory(attribute.type()), attribute.name())
                .build()));
        return fields;
    }

    /**
     * The {@code Attributes} of one message: each of {@code parameters} (those of
     * {@link MethodModel#spanAttributes()}) under its constant, with the value {@code value} gives
     * for it, converted to the attribute's type ({@code null} stays {@code null}: no attribute).
     */
    public CodeBlock attributes(List<ParameterModel> parameters, Function<ParameterModel, CodeBlock> value) {
        List<CodeBlock> pairs = new ArrayList<>();
        for (ParameterModel parameter : parameters) {
            SpanAttributeModel attribute = parameter.spanAttribute().orElseThrow();
            pairs.add(CodeBlock.of("$N, $L", constants.get(attribute),
                    converted(attribute.type(), parameter.type(), value.apply(parameter))));
        }
        if (pairs.size() <= MAX_PAIRS_OF) {
            return CodeBlock.of("$T.of($L)", RuntimeTypes.ATTRIBUTES, CodeBlock.join(pairs, ",$W"));
        }
        CodeBlock.Builder builder = CodeBlock.builder().add("$T.builder()", RuntimeTypes.ATTRIBUTES);
        for (CodeBlock pair : pairs) {
            builder.add("\n.put($L)", pair);
        }
        return builder.add("\n.build()").build();
    }

    /**
     * {@code value}, of {@code type}, as the attribute's value type: narrower primitives widened
     * by a cast, narrower boxes through the runtime's null-keeping conversion.
     */
    private static CodeBlock converted(SpanAttributeModel.Type attributeType, TypeName type, CodeBlock value) {
        return switch (attributeType) {
            case STRING, BOOLEAN -> value;
            case LONG -> widened(type, TypeName.LONG, "toLong", value);
            case DOUBLE -> widened(type, TypeName.DOUBLE, "toDouble", value);
        };
    }

    private static CodeBlock widened(TypeName type, TypeName target, String boxConversion, CodeBlock value) {
        if (type.equals(target) || type.equals(target.box())) {
            return value;
        }
        if (type.isPrimitive()) {
            return CodeBlock.of("($T) $L", target, value);
        }
        return CodeBlock.of("$T.$L($L)", RuntimeTypes.ATTRIBUTE_VALUES, boxConversion, value);
    }

    private static ClassName valueClass(SpanAttributeModel.Type type) {
        return switch (type) {
            case STRING -> ClassName.get(String.class);
            case BOOLEAN -> ClassName.get(Boolean.class);
            case LONG -> ClassName.get(Long.class);
            case DOUBLE -> ClassName.get(Double.class);
        };
    }

    private static String factory(SpanAttributeModel.Type type) {
        return switch (type) {
            case STRING -> "stringKey";
            case BOOLEAN -> "booleanKey";
            case LONG -> "longKey";
            case DOUBLE -> "doubleKey";
        };
    }
}
