package test;

import dev.tracewire.annotations.Propagation;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

@TracedConsumer(group = "ledger")
public interface Handler {

    @Topic(value = "payments", propagation = Propagation.HEADERS_ONLY)
    void onPayments(List<String> payments);
}
