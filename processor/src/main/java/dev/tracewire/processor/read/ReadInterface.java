package dev.tracewire.processor.read;

import dev.tracewire.processor.model.InterfaceModel;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * An interface as read: its model, and the elements the model came from, for the checks that
 * follow to pin their diagnostics to.
 *
 * @param model the model
 * @param element the annotated interface
 * @param methodElements the method each of {@code model.methods()} came from, in the same order
 */
public record ReadInterface(InterfaceModel model, TypeElement element, List<ExecutableElement> methodElements) {

    public ReadInterface {
        methodElements = List.copyOf(methodElements);
    }
}
