package dev.tracewire.processor;

import com.google.auto.service.AutoService;
import com.squareup.javapoet.JavaFile;
import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.check.ModelChecker;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.read.InterfaceReader;
import dev.tracewire.processor.read.ReadInterface;
import dev.tracewire.processor.write.SourceGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.JavaFileObject;

/**
 * Generates a traced implementation for every {@code @TracedPublisher} and a traced dispatcher
 * for every {@code @TracedConsumer} interface, in four stages: read the interface into a model
 * (reporting misuses), check the rules that span methods, generate the source from the model, and
 * write it. An interface that mentions a type not generated yet waits for a later round.
 *
 * <p>It claims its own annotations, and {@code @Generated}, which its output carries: nobody else
 * processes them, and unclaimed they would fail a user's {@code -Xlint:all -Werror} build with
 * javac's "no processor claimed" warning.
 */
@AutoService(Processor.class)
public final class TracewireProcessor extends AbstractProcessor {

    private static final String GENERATED = "javax.annotation.processing.Generated";

    private Elements elements;
    private Filer filer;
    private Reporter reporter;
    private InterfaceReader reader;
    private ModelChecker checker;
    private SourceGenerator generator;
    /** Interfaces waiting for a type that another processor may still generate, by qualified name. */
    private final Map<String, Role> deferred = new LinkedHashMap<>();
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
        this.filer = processingEnv.getFiler();
        this.reporter = new Reporter(processingEnv.getMessager());
        this.reader = new InterfaceReader(elements, processingEnv.getTypeUtils(), reporter);
        this.checker = new ModelChecker(reporter);
        Map<ProcessorOption, Boolean> options = readOptions(processingEnv.getOptions());
        this.verbose = options.get(ProcessorOption.VERBOSE);
        boolean generatedAnnotation = options.get(ProcessorOption.GENERATED_ANNOTATION)
                && elements.getTypeElement(GENERATED) != null;
        this.generator = new SourceGenerator(TracewireProcessor.class.getCanonicalName(), generatedAnnotation);
    }

    /** The {@code tracewire.*} options, defaults filled in; reports unknown ones and bad values. */
    private Map<ProcessorOption, Boolean> readOptions(Map<String, String> given) {
        Map<ProcessorOption, Boolean> values = new EnumMap<>(ProcessorOption.class);
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
            Boolean value = entry.getValue() == null ? Boolean.TRUE : ProcessorOption.parse(entry.getValue());
            if (value == null) {
                reporter.error(Message.INVALID_OPTION_VALUE, key, entry.getValue(), key);
            } else {
                values.put(option.get(), value);
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
        Set<String> supported = new LinkedHashSet<>(InterfaceReader.supportedAnnotations());
        supported.add(GENERATED);
        return supported;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Map<String, Role> work = new LinkedHashMap<>(deferred);
        deferred.clear();
        for (Role role : Role.values()) {
            TypeElement annotation = elements.getTypeElement(InterfaceReader.annotationOf(role));
            if (annotation == null) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                work.put(((TypeElement) element).getQualifiedName() + "#" + role, role);
            }
        }
        for (Map.Entry<String, Role> entry : work.entrySet()) {
            String name = entry.getKey().substring(0, entry.getKey().indexOf('#'));
            TypeElement type = elements.getTypeElement(name);
            if (type != null && !(entry.getValue() == Role.PUBLISHER && InterfaceReader.hasBothRoles(type))) {
                processSafely(type, entry.getValue(), entry.getKey(), round.processingOver());
            }
        }
        return true;
    }

    private void processSafely(TypeElement type, Role role, String key, boolean lastRound) {
        try {
            beforeEachInterface.accept(type);
            Optional<String> unresolved = reader.unresolvedType(type);
            if (unresolved.isPresent()) {
                if (lastRound) {
                    reporter.error(Message.UNRESOLVED_TYPE, type, type.getSimpleName(), unresolved.get());
                } else {
                    deferred.put(key, role);
                }
                return;
            }
            generate(type, role);
        } catch (RuntimeException | Error unexpected) {
            StringWriter trace = new StringWriter();
            unexpected.printStackTrace(new PrintWriter(trace));
            reporter.error(Message.INTERNAL_ERROR, type, type.getQualifiedName(), trace);
        }
    }

    private void generate(TypeElement type, Role role) {
        Optional<ReadInterface> read = reader.read(type, role);
        if (read.isEmpty() || !checker.check(read.get())) {
            return;
        }
        TypeSpec generated = generator.generate(read.get().model()).toBuilder().addOriginatingElement(type).build();
        try {
            write(SourceGenerator.file(read.get().model(), generated));
            if (verbose) {
                reporter.note(type, "tracewire generated " + generated.name + " for " + type.getQualifiedName());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + generated.name, e);
        }
    }

    /**
     * Writes {@code file} through {@code filer} as {@link JavaFile#writeTo(Filer)} does, but renders
     * it into a string first: JavaPoet emits a file in many small appends, and each one made on the
     * filer's writer goes through javac's locking and encoding.
     */
    private void write(JavaFile file) throws IOException {
        String source = file.toString();
        String name = file.packageName.isEmpty() ? file.typeSpec.name : file.packageName + "." + file.typeSpec.name;
        JavaFileObject target = filer.createSourceFile(name, file.typeSpec.originatingElements.toArray(new Element[0]));
        try (Writer writer = target.openWriter()) {
            writer.write(source);
        } catch (IOException | RuntimeException e) {
            target.delete();
            throw e;
        }
    }
}
