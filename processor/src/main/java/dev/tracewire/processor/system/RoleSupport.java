package dev.tracewire.processor.system;

/**
 * What one messaging system does for one role: reads the shape of each method, and generates the
 * class of an interface whose methods have such shapes.
 *
 * @param <S> the shape of a method
 * @param shapes reads a method's shape, reporting the return types the role cannot have
 * @param generator writes the generated class
 */
public record RoleSupport<S>(ShapeReader<S> shapes, ClassGenerator<S> generator) {
}
