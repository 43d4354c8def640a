package dev.tracewire.sample;

/**
 * Bills each order and announces the invoice. A plain implementation of {@link OrderHandler}: the
 * generated dispatcher runs it inside the order's trace, so the invoice it publishes continues
 * that trace.
 */
public final class Billing implements OrderHandler {

    private final InvoiceEvents invoices;

    public Billing(InvoiceEvents invoices) {
        this.invoices = invoices;
    }

    @Override
    public void onOrder(String orderId, Order order, String tenant) throws BillingException {
        if (order.amountCents() <= 0) {
            throw new BillingException("order " + orderId + " has no amount to bill");
        }
        String invoice = "INV-" + orderId + " " + order.customer() + " " + order.amountCents() + " cents";
        invoices.issued(orderId, invoice, tenant);
    }
}
