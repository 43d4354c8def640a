package dev.tracewire.processor.read;

import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.system.MessagingSystem;
import dev.tracewire.processor.system.RoleSupport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Reads an annotated interface into an {@link InterfaceModel} the way Dagger validates before it
 * builds: the declaration first, then every method of the system the interface talks to, each
 * misuse reported on the annotation value, parameter or method at fault; the model is built only
 * when nothing was reported.
 */
public final class InterfaceReader {

    private final Reporter reporter;
    private final Systems systems;
    private final DeclarationReader declarations;
    private final DestinationReader destinations;
    private final MethodReader methods;
    private final ModelBuilder builder;

    /**
     * Reads interfaces that talk to one of {@code systems}, which take precedence in this order;
     * those whose annotation names no component model follow {@code defaultComponentModel}.
     */
    public InterfaceReader(Elements elements, Types types, Reporter reporter, List<MessagingSystem> systems,
            ComponentModel defaultComponentModel) {
        Annotations annotations = new Annotations(elements);
        this.reporter = reporter;
        this.systems = new Systems(systems);
        this.declarations = new DeclarationReader(elements, types, reporter, annotations,
                new AbstractMethods(elements, types), this.systems, defaultComponentModel);
        this.destinations = new DestinationReader(reporter, annotations, this.systems);
        this.methods = new MethodReader(reporter, destinations, new ParameterReader(reporter, annotations),
                new PropagationReader(reporter));
        this.builder = new ModelBuilder(elements, types, new CommonType(elements, types));
    }

    /**
     * Whether {@code type} carries both roles; the processor then reads it once, as a consumer,
     * which reports that (and anything else wrong with the declaration) once.
     */
    public static boolean hasBothRoles(TypeElement type) {
        return DeclarationReader.hasBothRoles(type);
    }

    /** Every annotation of tracewire's, by qualified name: the ones the processor claims. */
    public Set<String> supportedAnnotations() {
        Set<String> supported = new HashSet<>(AnnotationNames.shared());
        supported.addAll(systems.destinationAnnotations());
        return supported;
    }

    /** Reads {@code type} in {@code role}; empty when a diagnostic was reported. */
    public Optional<ReadInterface<?>> read(TypeElement type, Role role) {
        Optional<Declaration> declaration = declarations.read(type, role);
        if (declaration.isEmpty()) {
            return Optional.empty();
        }
        Optional<MessagingSystem> system = systems.of(declaration.get().methods());
        if (system.isEmpty()) {
            destinations.reportAllMissing(declaration.get().methods());
            return Optional.empty();
        }
        return read(declaration.get(), system.get(), system.get().support(role));
    }

    private <S> Optional<ReadInterface<?>> read(Declaration declaration, MessagingSystem system,
            RoleSupport<S> support) {
        int errorsBefore = reporter.errorCount();
        List<ReadMethod<S>> read = new ArrayList<>();
        for (ResolvedMethod method : declaration.methods()) {
            methods.read(method, system, declaration.role(), support.shapes(), declaration.propagation())
                    .ifPresent(read::add);
        }
        if (reporter.errorCount() != errorsBefore) {
            return Optional.empty();
        }
        InterfaceModel<S> model = builder.build(declaration, system, read);
        return Optional.of(new ReadInterface<>(model, system, support.generator(), declaration.methodElements()));
    }
}
