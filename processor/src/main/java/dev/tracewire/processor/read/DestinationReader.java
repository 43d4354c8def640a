package dev.tracewire.processor.read;

import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.system.MessagingSystem;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

/**
 * Reads where a method sends to or reads from: exactly one destination annotation, of the system
 * the interface talks to, naming a destination that is not blank. Each diagnostic speaks the terms
 * of the system whose annotation is at fault.
 */
final class DestinationReader {

    private final Reporter reporter;
    private final Annotations annotations;
    private final Systems systems;

    DestinationReader(Reporter reporter, Annotations annotations, Systems systems) {
        this.reporter = reporter;
        this.annotations = annotations;
        this.systems = systems;
    }

    /** The destination of {@code method} in an interface that talks to {@code system}; empty when reported. */
    Optional<String> read(ResolvedMethod method, MessagingSystem system) {
        ExecutableElement element = method.element();
        List<Systems.DestinationAnnotation> found = systems.destinationAnnotationsOn(element);
        if (found.isEmpty()) {
            reporter.error(Message.MISSING_DESTINATION, element, method.displayName(),
                    system.destinationFix() + ", like the interface's other methods");
            return Optional.empty();
        }
        if (found.size() > 1) {
            reporter.error(Message.BOTH_DESTINATIONS, element, found.get(1).annotation(), method.displayName(),
                    found.get(0).system().describe(), found.get(1).system().describe());
            return Optional.empty();
        }
        MessagingSystem own = found.get(0).system();
        boolean mixed = own != system;
        if (mixed) {
            reporter.error(Message.MIXED_SYSTEMS, element, found.get(0).annotation(), method.displayName(),
                    own.describe(), system.describe(), own.name());
        }
        Annotations.Value value = annotations.value(found.get(0).annotation(), "value");
        if (value.string().isBlank()) {
            reporter.error(Message.BLANK_DESTINATION, element, value.annotation(), value.value(),
                    own.destinationNoun(), method.displayName(), own.example());
            return Optional.empty();
        }
        return mixed ? Optional.empty() : Optional.of(value.string());
    }

    /** Reports each of {@code methods}, of an interface none of whose methods names a destination. */
    void reportAllMissing(List<ResolvedMethod> methods) {
        for (ResolvedMethod method : methods) {
            reporter.error(Message.MISSING_DESTINATION, method.element(), method.displayName(),
                    systems.destinationFixes());
        }
    }
}
