package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import java.util.List;

@TracedConsumer(group = "ledger")
public interface Handler {

    @Topic("payments")
    void onPayments(@Key String paymentId, List<String> payments);
}
