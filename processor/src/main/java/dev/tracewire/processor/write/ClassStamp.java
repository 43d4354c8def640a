package dev.tracewire.processor.write;

import com.squareup.javapoet.AnnotationSpec;
import com.squareup.javapoet.ClassName;
import com.squareup.javapoet.MethodSpec;
import com.squareup.javapoet.NameAllocator;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.InterfaceModel;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * What every generated class starts with: its name, {@code final}, the interface's visibility,
 * {@code @Generated} naming the processor, with no date, so builds are reproducible, and the
 * annotation of its component model; and how its constructors are made for that model.
 */
public final class ClassStamp {

    private final String processorName;
    private final boolean generatedAnnotation;

    /**
     * @param processorName the processor's class name, for {@code @Generated}
     * @param generatedAnnotation whether {@code javax.annotation.processing.Generated} is available
     */
    public ClassStamp(String processorName, boolean generatedAnnotation) {
        this.processorName = processorName;
        this.generatedAnnotation = generatedAnnotation;
    }

    /** Constructors are as visible as the interface: public for a public one, else package-private. */
    public static Modifier[] constructorVisibility(InterfaceModel<?> model) {
        return model.isPublic() ? new Modifier[] {Modifier.PUBLIC} : new Modifier[0];
    }

    /**
     * Whether the class has the plain constructors too (the client alone, traced with the defaults):
     * only a plain class does; a container's component has one constructor, so the container never
     * has to choose.
     */
    public static boolean plainConstructors(InterfaceModel<?> model) {
        return model.componentModel() == ComponentModel.DEFAULT;
    }

    /** The constructor, marked for the container to call ({@code @Inject} for JSR-330). */
    public static MethodSpec.Builder injectable(InterfaceModel<?> model, MethodSpec.Builder constructor) {
        if (model.componentModel() == ComponentModel.JAKARTA) {
            constructor.addAnnotation(ContainerTypes.INJECT);
        }
        return constructor;
    }

    /** One field name per method of a publisher: the method's name, made unique among overloads. */
    public static List<String> methodFieldNames(InterfaceModel<?> model) {
        NameAllocator names = new NameAllocator();
        List<String> fieldNames = new ArrayList<>();
        for (int i = 0; i < model.methods().size(); i++) {
            fieldNames.add(names.newName(model.methods().get(i).name(), i));
        }
        return fieldNames;
    }

    public TypeSpec.Builder classFor(InterfaceModel<?> model) {
        ClassName name = GeneratedNames.generatedClass(model.interfaceName());
        TypeSpec.Builder builder = TypeSpec.classBuilder(name);
        if (generatedAnnotation) {
            builder.addAnnotation(AnnotationSpec.builder(RuntimeTypes.GENERATED)
                    .addMember("value", "$S", processorName)
                    .build());
        }
        switch (model.componentModel()) {
            case DEFAULT -> { }
            case JAKARTA -> builder.addAnnotation(ContainerTypes.SINGLETON);
            case SPRING -> builder.addAnnotation(ContainerTypes.COMPONENT);
        }
        if (model.isPublic()) {
            builder.addModifiers(Modifier.PUBLIC);
        }
        return builder.addModifiers(Modifier.FINAL);
    }
}
