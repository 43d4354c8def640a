package dev.tracewire.processor.system;

import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * A method whose shape is read, with what its diagnostics are pinned to.
 *
 * @param element the method
 * @param returnType its return type, resolved against the annotated interface
 * @param destination its destination annotation of the interface's system; empty when it has none
 *     (a misuse reported on its own)
 * @param displayName the method as diagnostics name it, as in {@code Events.placed()}
 * @param batch whether it is a consumer method that takes a batch ({@code List<T>} payload)
 */
public record MethodSite(
        ExecutableElement element,
        TypeMirror returnType,
        Optional<AnnotationMirror> destination,
        String displayName,
        boolean batch) {
}
