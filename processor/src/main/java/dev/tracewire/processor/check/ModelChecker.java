package dev.tracewire.processor.check;

import dev.tracewire.processor.diag.Message;
import dev.tracewire.processor.diag.Reporter;
import dev.tracewire.processor.model.MethodModel;
import dev.tracewire.processor.model.Role;
import dev.tracewire.processor.read.ReadInterface;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules that concern several methods of one interface at once, checked on the model after
 * every method was read on its own.
 */
public final class ModelChecker {

    private final Reporter reporter;

    public ModelChecker(Reporter reporter) {
        this.reporter = reporter;
    }

    /** Whether {@code read} passes every rule; reports each one it breaks. */
    public boolean check(ReadInterface read) {
        int errorsBefore = reporter.errorCount();
        if (read.model().role() == Role.CONSUMER) {
            checkOneMethodPerDestination(read);
        }
        return reporter.errorCount() == errorsBefore;
    }

    private void checkOneMethodPerDestination(ReadInterface read) {
        List<MethodModel> methods = read.model().methods();
        Map<String, Integer> firstByDestination = new HashMap<>();
        for (int i = 0; i < methods.size(); i++) {
            MethodModel method = methods.get(i);
            Integer first = firstByDestination.putIfAbsent(method.destination(), i);
            if (first != null) {
                reporter.error(Message.DUPLICATE_CONSUMER_DESTINATION, read.methodElements().get(i),
                        methods.get(first).name() + "()", method.name() + "()", method.destination());
            }
        }
    }
}
