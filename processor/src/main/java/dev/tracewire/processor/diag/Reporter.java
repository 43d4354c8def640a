package dev.tracewire.processor.diag;

import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports diagnostics from the {@link Message} catalog, pinned as precisely as the caller knows,
 * and counts the errors so that a stage can tell whether it is clean. Reporting never throws, so
 * the user sees every error of an interface at once.
 */
public final class Reporter {

    private final Messager messager;
    private int errors;

    public Reporter(Messager messager) {
        this.messager = messager;
    }

    /** An error about the compilation as a whole, such as a processor option, with no element to pin it to. */
    public void error(Message message, Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments));
    }

    public void note(Element element, String text) {
        messager.printMessage(Diagnostic.Kind.NOTE, text, element);
    }

    public void error(Message message, Element element, Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element);
    }

    public void error(Message message, Element element, AnnotationMirror annotation, Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element, annotation);
    }

    public void error(Message message, Element element, AnnotationMirror annotation, AnnotationValue value,
            Object... arguments) {
        errors++;
        messager.printMessage(Diagnostic.Kind.ERROR, message.format(arguments), element, annotation, value);
    }

    /** How many errors were reported so far; compare before and after a stage to see if it was clean. */
    public int errorCount() {
        return errors;
    }
}
