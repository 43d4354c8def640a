package dev.tracewire.processor.read;

import dev.tracewire.annotations.Propagation;
import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;

/**
 * Reads the propagation policy of an interface (its role annotation's {@code propagation}) and of
 * each method (its destination annotation's, which wins where written), and checks what a policy
 * rules out: {@code HEADERS_ONLY} makes no span, so it takes no {@code @SpanAttribute} parameters
 * and no batch. Each misuse is reported on the {@code @SpanAttribute}, or on the
 * {@code propagation} value that chose the policy.
 */
final class PropagationReader {

    private static final String MEMBER = "propagation";

    /**
     * A policy, and where it was written: the element and its annotation's value, or empty when no
     * annotation names one (the default).
     */
    record Policy(Propagation value, Element element, Optional<Annotations.Value> writtenAt) {

        /** Where the policy came from, for diagnostics, as in {@code written on @Topic}. */
        String origin() {
            return writtenAt.map(written -> "written on @" + written.annotation().getAnnotationType().asElement()
                    .getSimpleName()).orElse("the default");
        }
    }

    private final Reporter reporter;

    PropagationReader(Reporter reporter) {
        this.reporter = reporter;
    }

    /** The policy the role annotation of {@code type} gives every method, {@code PROPAGATE} unless written. */
    static Policy ofInterface(Element type, AnnotationMirror roleAnnotation) {
        return written(roleAnnotation).map(value -> new Policy(valueOf(value), type, Optional.of(value)))
                .orElseGet(() -> new Policy(Propagation.PROPAGATE, type, Optional.empty()));
    }

    /**
     * The policy of {@code method}: the one written on its destination annotation, else the
     * interface's. With {@code HEADERS_ONLY}, reports each {@code @SpanAttribute} parameter, and a
     * batch method; empty when it reported.
     */
    Optional<Propagation> ofMethod(ResolvedMethod method, Optional<AnnotationMirror> destination, Policy ofInterface,
            boolean batch) {
        Policy policy = destination.flatMap(PropagationReader::written)
                .map(value -> new Policy(valueOf(value), method.element(), Optional.of(value)))
                .orElse(ofInterface);
        if (policy.value() != Propagation.HEADERS_ONLY) {
            return Optional.of(policy.value());
        }
        int errorsBefore = reporter.errorCount();
        ExecutableElement element = method.element();
        for (VariableElement parameter : element.getParameters()) {
            Annotations.find(parameter, AnnotationNames.SPAN_ATTRIBUTE).ifPresent(attribute -> reporter.error(
                    Message.PROPAGATION_SPAN_ATTRIBUTE, parameter, attribute, parameter.getSimpleName(),
                    method.displayName(), policy.origin()));
        }
        if (batch) {
            Annotations.Value value = policy.writtenAt().orElseThrow();
            reporter.error(Message.PROPAGATION_BATCH, policy.element(), value.annotation(), value.value(),
                    method.displayName(), policy.origin());
        }
        return reporter.errorCount() == errorsBefore ? Optional.of(policy.value()) : Optional.empty();
    }

    /** The {@code propagation} value written on {@code annotation}; empty when it takes the default. */
    private static Optional<Annotations.Value> written(AnnotationMirror annotation) {
        return annotation.getElementValues().entrySet().stream()
                .filter(entry -> entry.getKey().getSimpleName().contentEquals(MEMBER))
                .map(entry -> new Annotations.Value(annotation, entry.getValue()))
                .findFirst();
    }

    /** The constant an enum annotation value names; the default when javac could not resolve it (its own error). */
    private static Propagation valueOf(Annotations.Value value) {
        return value.value().getValue() instanceof VariableElement constant
                ? Propagation.valueOf(constant.getSimpleName().toString()) : Propagation.PROPAGATE;
    }
}
