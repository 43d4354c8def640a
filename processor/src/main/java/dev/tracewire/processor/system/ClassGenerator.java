package dev.tracewire.processor.system;

import com.squareup.javapoet.TypeSpec;
import dev.tracewire.processor.model.InterfaceModel;

/**
 * Writes the class generated for an interface of one system and one role. Works on the model only:
 * it never sees an {@code Element} and never reports.
 *
 * @param <S> the shape of a method
 */
@FunctionalInterface
public interface ClassGenerator<S> {

    /** The generated class's type, without originating elements. */
    TypeSpec generate(InterfaceModel<S> model);
}
