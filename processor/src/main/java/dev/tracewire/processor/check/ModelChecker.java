package dev.tracewire.processor.check;

import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.InterfaceModel;
import dev.tracewire.processor.model.MethodModel;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.system.MessagingSystem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;

/**
 * The rules that concern several methods of one interface at once, checked on the model after
 * every method was read on its own.
 */
public final class ModelChecker {

    private final Reporter reporter;

    public ModelChecker(Reporter reporter) {
        this.reporter = reporter;
    }

    /**
     * Whether {@code model}, of an interface that talks to {@code system}, passes every rule;
     * reports each one it breaks on the method at fault.
     *
     * @param methodElements the method each of {@code model.methods()} came from, in the same order
     */
    public boolean check(InterfaceModel<?> model, List<ExecutableElement> methodElements, MessagingSystem system) {
        int errorsBefore = reporter.errorCount();
        if (model.role() == Role.CONSUMER) {
            checkOneMethodPerDestination(model.methods(), methodElements, system);
        }
        return reporter.errorCount() == errorsBefore;
    }

    private void checkOneMethodPerDestination(List<? extends MethodModel<?>> methods,
            List<ExecutableElement> methodElements, MessagingSystem system) {
        Map<String, Integer> firstByDestination = new HashMap<>();
        for (int i = 0; i < methods.size(); i++) {
            MethodModel<?> method = methods.get(i);
            Integer first = firstByDestination.putIfAbsent(method.destination(), i);
            if (first != null) {
                reporter.error(Message.DUPLICATE_CONSUMER_DESTINATION, methodElements.get(i),
                        methods.get(first).name() + "()", method.name() + "()", system.destinationNoun(),
                        method.destination());
            }
        }
    }
}
