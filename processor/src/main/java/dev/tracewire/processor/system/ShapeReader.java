package dev.tracewire.processor.system;

import java.util.Optional;

/**
 * Reads what one system makes of a method of one role, from its return type and destination.
 *
 * @param <S> the shape of a method
 */
@FunctionalInterface
public interface ShapeReader<S> {

    /** The shape of {@code method}; empty when a diagnostic was reported. */
    Optional<S> read(MethodSite method);
}
