package dev.tracewire.processor.read;

import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.system.ClassGenerator;
import dev.tracewire.processor.system.MessagingSystem;
import java.util.List;
import javax.lang.model.element.ExecutableElement;

/**
 * An interface as read: its model, the system it talks to with the generator of its role, and
 * the methods the model came from, for the checks that follow to pin their diagnostics to.
 *
 * @param <S> the shape of the methods
 * @param model the model
 * @param system the messaging system the interface talks to
 * @param generator writes the class generated for the model
 * @param methodElements the method each of {@code model.methods()} came from, in the same order
 */
public record ReadInterface<S>(InterfaceModel<S> model, MessagingSystem system, ClassGenerator<S> generator,
        List<ExecutableElement> methodElements) {

    public ReadInterface {
        methodElements = List.copyOf(methodElements);
    }

    /** The class generated for the interface, without originating elements. */
    public TypeSpec generate() {
        return generator.generate(model);
    }
}
