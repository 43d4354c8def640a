package test;

import dev.tracewire.annotations.ComponentModel;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;

public final class Billing {

    private Billing() {
    }

    @TracedPublisher(componentModel = ComponentModel.JAKARTA)
    public interface Invoices {
        @Topic("invoices")
        void issued(@Key String invoiceId, String invoice);
    }

    @TracedConsumer(group = "billing", componentModel = ComponentModel.JAKARTA)
    public interface Orders {
        @Topic("orders")
        void onOrder(@Key String orderId, String order);
    }

    @TracedConsumer(componentModel = ComponentModel.JAKARTA)
    public interface Reminders {
        @Subject(value = "reminders.due", stream = "REMINDERS")
        void onDue(String invoiceId);
    }
}
