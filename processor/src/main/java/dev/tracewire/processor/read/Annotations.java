package dev.tracewire.processor.read;

import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Reads annotations as mirrors, keeping the mirror and the value so that a diagnostic can point at
 * the exact annotation value in the user's source.
 */
public final class Annotations {

    /** One annotation member's value, with where it was written. */
    public record Value(AnnotationMirror annotation, AnnotationValue value) {
        public String string() {
            return (String) value.getValue();
        }
    }

    private final Elements elements;

    public Annotations(Elements elements) {
        this.elements = elements;
    }

    public static Optional<AnnotationMirror> find(Element element, String annotationName) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
            if (type.getQualifiedName().contentEquals(annotationName)) {
                return Optional.of(mirror);
            }
        }
        return Optional.empty();
    }

    public static boolean has(Element element, String annotationName) {
        return find(element, annotationName).isPresent();
    }

    /** The value of member {@code member} of {@code annotation}, its default when not written. */
    public Value value(AnnotationMirror annotation, String member) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                : elements.getElementValuesWithDefaults(annotation).entrySet()) {
            if (entry.getKey().getSimpleName().contentEquals(member)) {
                return new Value(annotation, entry.getValue());
            }
        }
        throw new IllegalArgumentException("no member " + member + " in " + annotation);
    }
}
