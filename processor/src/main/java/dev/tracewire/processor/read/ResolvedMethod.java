package dev.tracewire.processor.read;

import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.ExecutableType;

/**
 * A method with its types as seen from the annotated interface (type variables bound).
 *
 * @param element the method, declared in the interface or inherited
 * @param type its parameter, return and thrown types, resolved
 * @param displayName the method as diagnostics name it, as in {@code Events.placed()}
 */
record ResolvedMethod(ExecutableElement element, ExecutableType type, String displayName) {
}
