package dev.tracewire.processor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.FileObject;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;

/**
 * Runs a processor and records the source files it creates. compile-testing hides the generated
 * files of a failed compilation, and a failed compilation is what a negative test needs to look
 * into: did the processor still write code for the broken interface?
 */
final class RecordingProcessor implements Processor {

    private final Processor delegate;
    private final List<String> createdSources = new ArrayList<>();

    RecordingProcessor(Processor delegate) {
        this.delegate = delegate;
    }

    /** The qualified names of the source files created so far, in order. */
    List<String> createdSources() {
        return List.copyOf(createdSources);
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment processingEnv) {
        delegate.init(new RecordingEnvironment(processingEnv));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(Element element, AnnotationMirror annotation,
            ExecutableElement member, String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }

    /** javac's environment, with a filer that records. */
    private final class RecordingEnvironment implements ProcessingEnvironment {

        private final ProcessingEnvironment javac;
        private final Filer filer;

        RecordingEnvironment(ProcessingEnvironment javac) {
            this.javac = javac;
            this.filer = new RecordingFiler(javac.getFiler());
        }

        @Override
        public Map<String, String> getOptions() {
            return javac.getOptions();
        }

        @Override
        public Messager getMessager() {
            return javac.getMessager();
        }

        @Override
        public Filer getFiler() {
            return filer;
        }

        @Override
        public Elements getElementUtils() {
            return javac.getElementUtils();
        }

        @Override
        public Types getTypeUtils() {
            return javac.getTypeUtils();
        }

        @Override
        public SourceVersion getSourceVersion() {
            return javac.getSourceVersion();
        }

        @Override
        public Locale getLocale() {
            return javac.getLocale();
        }

        @Override
        public boolean isPreviewEnabled() {
            return javac.isPreviewEnabled();
        }
    }

    private final class RecordingFiler implements Filer {

        private final Filer javac;

        RecordingFiler(Filer javac) {
            this.javac = javac;
        }

        @Override
        public JavaFileObject createSourceFile(CharSequence name, Element... originatingElements) throws IOException {
            createdSources.add(name.toString());
            return javac.createSourceFile(name, originatingElements);
        }

        @Override
        public JavaFileObject createClassFile(CharSequence name, Element... originatingElements) throws IOException {
            return javac.createClassFile(name, originatingElements);
        }

        @Override
        public FileObject createResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                CharSequence relativeName, Element... originatingElements) throws IOException {
            return javac.createResource(location, moduleAndPkg, relativeName, originatingElements);
        }

        @Override
        public FileObject getResource(JavaFileManager.Location location, CharSequence moduleAndPkg,
                CharSequence relativeName) throws IOException {
            return javac.getResource(location, moduleAndPkg, relativeName);
        }
    }
}
