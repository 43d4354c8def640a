package dev.tracewire.sample;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;

/** The mailer sends invoices to customers. */
@TracedConsumer(group = "mailer")
public interface InvoiceHandler {

    @Topic("invoices")
    void onInvoice(@Key String orderId, String invoice, @Header("tenant") String tenant);
}
