package dev.tracewire.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.check.ModelChecker;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.kafka.KafkaSystem;
import dev.tracewire.processor.model.ComponentModel;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.nats.NatsSystem;
import dev.tracewire.processor.read.AnnotationNames;
import dev.tracewire.processor.read.InterfaceReader;
import dev.tracewire.processor.read.ReadInterface;
import dev.tracewire.processor.read.UnresolvedTypes;
import dev.tracewire.processor.system.SystemTools;
import dev.tracewire.processor.write.ClassStamp;
import dev.tracewire.processor.write.ContainerTypes;
import dev.tracewire.processor.write.SourceWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Generates a traced implementation for every {@code @TracedPublisher} and a traced dispatcher
 * for every {@code @TracedConsumer} interface, in four stages: read the interface into a model
 * (reporting misuses), check the rules that span methods, generate the source from the model with
 * the generator of the interface's messaging system, and write it. An interface that mentions a
 * type not generated yet waits for a later round.
 *
 * <p>It claims its own annotations, and those its output carries ({@code @Generated}, and the
 * container annotations of the jakarta and spring component models): unclaimed they would fail a
 * user's {@code -Xlint:all -Werror} build with javac's "no processor claimed" warning. Claiming
 * hides nothing from a container's processor such as Dagger's, which reads the round's annotated
 * elements whatever was claimed.
 */
@AutoService(Processor.class)
public final class TracewireProcessor extends AbstractProcessor {

    private static final String GENERATED = "javax.annotation.processing.Generated";

    private Elements elements;
    private Reporter reporter;
    private UnresolvedTypes unresolvedTypes;
    private InterfaceReader reader;
    private ModelChecker checker;
    private SourceWriter writer;
    /** Interfaces waiting for a type that another processor may still generate. */
    private final Set<WorkItem> deferred = new LinkedHashSet<>();
    private final Consumer<TypeElement> beforeEachInterface;
    private boolean verbose;

    /** Called by javac through the service loader. */
    public TracewireProcessor() {
        this(type -> { });
    }

    /** For tests: {@code beforeEachInterface} runs before each interface is processed. */
    TracewireProcessor(Consumer<TypeElement> beforeEachInterface) {
        this.beforeEachInterface = beforeEachInterface;
    }

    @Override
    public synchronized void init(ProcessingEnvironment processingEnv) {
        super.init(processingEnv);
        this.elements = processingEnv.getElementUtils();
        this.reporter = new Reporter(processingEnv.getMessager());
        Map<ProcessorOption, String> options = readOptions(processingEnv.getOptions());
        this.verbose = Boolean.parseBoolean(options.get(ProcessorOption.VERBOSE));
        boolean generatedAnnotation = Boolean.parseBoolean(options.get(ProcessorOption.GENERATED_ANNOTATION))
                && elements.getTypeElement(GENERATED) != null;
        ComponentModel defaultComponentModel =
                ComponentModel.of(options.get(ProcessorOption.DEFAULT_COMPONENT_MODEL)).orElseThrow();
        SystemTools tools = new SystemTools(elements, processingEnv.getTypeUtils(), reporter,
                new ClassStamp(TracewireProcessor.class.getCanonicalName(), generatedAnnotation));
        this.unresolvedTypes = new UnresolvedTypes(elements, processingEnv.getTypeUtils());
        this.reader = new InterfaceReader(elements, processingEnv.getTypeUtils(), reporter,
                List.of(new KafkaSystem(tools), new NatsSystem(tools)), defaultComponentModel);
        this.checker = new ModelChecker(reporter);
        this.writer = new SourceWriter(processingEnv.getFiler());
    }

    /**
     * The {@code tracewire.*} options, defaults filled in, each value valid for its option; reports
     * unknown ones and bad values (which keep their defaults).
     */
    private Map<ProcessorOption, String> readOptions(Map<String, String> given) {
        Map<ProcessorOption, String> values = new EnumMap<>(ProcessorOption.class);
        for (ProcessorOption option : ProcessorOption.values()) {
            values.put(option, option.defaultValue());
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(given).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(ProcessorOption.PREFIX)) {
                continue;
            }
            Optional<ProcessorOption> option = Arrays.stream(ProcessorOption.values())
                    .filter(o -> o.key().equals(key)).findFirst();
            if (option.isEmpty()) {
                reporter.error(Message.UNKNOWN_OPTION, key, String.join(", ", ProcessorOption.keys()));
                continue;
            }
            if (!option.get().isBoolean()) {
                String model = entry.getValue() == null ? "" : entry.getValue();
                if (ComponentModel.of(model).isEmpty()) {
                    reporter.error(Message.UNKNOWN_COMPONENT_MODEL, "processor option -A" + key, model,
                            ComponentModel.choices());
                } else {
                    values.put(option.get(), model);
                }
                continue;
            }
            Boolean value = entry.getValue() == null ? Boolean.TRUE : ProcessorOption.parseBoolean(entry.getValue());
            if (value == null) {
                reporter.error(Message.INVALID_OPTION_VALUE, key, entry.getValue(), key);
            } else {
                values.put(option.get(), value.toString());
            }
        }
        return values;
    }

    @Override
    public Set<String> getSupportedOptions() {
        return ProcessorOption.keys();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> supported = new LinkedHashSet<>(reader.supportedAnnotations());
        supported.add(GENERATED);
        supported.addAll(ContainerTypes.annotations());
        return supported;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<WorkItem> work = new LinkedHashSet<>(deferred);
        deferred.clear();
        for (Role role : Role.values()) {
            TypeElement annotation = elements.getTypeElement(AnnotationNames.of(role));
            if (annotation == null) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                work.add(new WorkItem(((TypeElement) element).getQualifiedName().toString(), role));
            }
        }
        for (WorkItem item : work) {
            TypeElement type = elements.getTypeElement(item.interfaceName());
            if (type != null && !(item.role() == Role.PUBLISHER && InterfaceReader.hasBothRoles(type))) {
                processSafely(type, item, round.processingOver());
            }
        }
        return true;
    }

    private void processSafely(TypeElement type, WorkItem item, boolean lastRound) {
        try {
            beforeEachInterface.accept(type);
            Optional<String> unresolved = unresolvedTypes.firstIn(type);
            if (unresolved.isPresent()) {
                if (lastRound) {
                    reporter.error(Message.UNRESOLVED_TYPE, type, type.getSimpleName(), unresolved.get());
                } else {
                    deferred.add(item);
                }
                return;
            }
            generate(type, item.role());
        } catch (RuntimeException | Error unexpected) {
            StringWriter trace = new StringWriter();
            unexpected.printStackTrace(new PrintWriter(trace));
            reporter.error(Message.INTERNAL_ERROR, type, type.getQualifiedName(), trace);
        }
    }

    private void generate(TypeElement type, Role role) {
        Optional<ReadInterface<?>> read = reader.read(type, role);
        if (read.isEmpty()
                || !checker.check(read.get().model(), read.get().methodElements(), read.get().system())) {
            return;
        }
        TypeSpec generated = read.get().generate().toBuilder().addOriginatingElement(type).build();
        try {
            writer.write(read.get().model().interfaceName(), generated);
            if (verbose) {
                reporter.note(type, "tracewire generated " + generated.name + " for " + type.getQualifiedName());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + generated.name, e);
        }
    }
}
