package dev.tracewire.processor.read;

import dev.tracewire.processor.system.MessagingSystem;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ExecutableElement;

/**
 * The messaging systems the processor knows, in a fixed order: which one a method's annotation
 * names, which one an interface talks to, and how diagnostics list them all.
 */
final class Systems {

    /** A destination annotation on a method, and the system it sends the method to. */
    record DestinationAnnotation(MessagingSystem system, AnnotationMirror annotation) {
    }

    private final List<MessagingSystem> all;

    Systems(List<MessagingSystem> all) {
        this.all = List.copyOf(all);
    }

    /** The destination annotations {@code method} carries, one per system, in the systems' order. */
    List<DestinationAnnotation> destinationAnnotationsOn(ExecutableElement method) {
        return all.stream()
                .flatMap(system -> Annotations.find(method, system.destinationAnnotation())
                        .map(annotation -> new DestinationAnnotation(system, annotation)).stream())
                .toList();
    }

    /** The system an interface talks to: that of its first method that names one; empty when none does. */
    Optional<MessagingSystem> of(List<ResolvedMethod> methods) {
        return methods.stream()
                .flatMap(method -> destinationAnnotationsOn(method.element()).stream())
                .map(DestinationAnnotation::system)
                .findFirst();
    }

    /** Every system's destination annotation as a fix, as in {@code @Topic("...") for a Kafka topic or ...}. */
    String destinationFixes() {
        List<String> fixes = all.stream().map(MessagingSystem::destinationFix).toList();
        if (fixes.size() == 1) {
            return fixes.get(0);
        }
        return String.join(", ", fixes.subList(0, fixes.size() - 1)) + " or " + fixes.get(fixes.size() - 1);
    }

    Set<String> destinationAnnotations() {
        return all.stream().map(MessagingSystem::destinationAnnotation).collect(Collectors.toSet());
    }
}
