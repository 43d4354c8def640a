package dev.tracewire.runtime.internal;

import java.lang.reflect.UndeclaredThrowableException;

/**
 * Narrows what a dispatcher rethrows to what the handler interface declares, so that a generated
 * {@code handle} method can declare exactly its methods' exceptions instead of {@code Exception}.
 * For generated code and the runtime only; not a public API.
 */
public final class Declared {

    private Declared() {
    }

    /**
     * Rethrows {@code failure} as {@code declared} (or unchecked) when it is one; anything else,
     * which the handler's methods could not have thrown, is wrapped in an
     * {@link UndeclaredThrowableException}.
     */
    public static <X extends Exception> X rethrow(Exception failure, Class<X> declared) throws X {
        if (declared.isInstance(failure)) {
            throw declared.cast(failure);
        }
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        throw new UndeclaredThrowableException(failure);
    }
}
