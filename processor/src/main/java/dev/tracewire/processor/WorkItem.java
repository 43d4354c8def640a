package dev.tracewire.processor;

import dev.tracewire.processor.model.Role;

/**
 * An annotated interface to process in a role. It holds the interface's qualified name rather than
 * its element, because an interface that waits for a type to be generated is looked up again in a
 * later round, whose elements are new.
 *
 * @param interfaceName the interface's qualified name
 * @param role the role its annotation gives it
 */
record WorkItem(String interfaceName, Role role) {
}
