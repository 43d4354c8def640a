package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Propagation;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;
import java.util.List;

/** Propagation policies: on the interface for every method, and on a method, where it wins. */
public final class Legacy {

    private Legacy() {
    }

    /** Old consumers break on headers they do not know: nothing but the audit topic propagates. */
    @TracedPublisher(propagation = Propagation.NONE)
    public interface Ledger {
        @Topic("ledger.entries")
        void entry(@Key String account, String entry);

        @Topic(value = "ledger.audit", propagation = Propagation.PROPAGATE)
        void audit(String entry);

        @Topic(value = "ledger.ticks", propagation = Propagation.HEADERS_ONLY)
        void tick(String tick);
    }

    @TracedConsumer(group = "ledger", propagation = Propagation.HEADERS_ONLY)
    public interface LedgerHandler {
        @Topic("ledger.ticks")
        void onTick(String tick);

        @Topic(value = "ledger.entries", propagation = Propagation.NONE)
        void onEntries(List<String> entries);
    }

    @TracedPublisher
    public interface Quotes {
        @Subject(value = "quotes.ticks", propagation = Propagation.HEADERS_ONLY)
        void tick(String tick);

        @Subject(value = "quotes.ping", propagation = Propagation.NONE)
        void ping();

        @Subject(value = "quotes.stored", stream = "QUOTES", propagation = Propagation.NONE)
        PublishAck stored(String quote);

        @Subject(value = "quotes.price", propagation = Propagation.HEADERS_ONLY)
        String price(String symbol);

        @Subject("quotes.traced")
        void traced(String quote);
    }

    @TracedConsumer(propagation = Propagation.NONE)
    public interface QuotesHandler {
        @Subject("quotes.ticks")
        void onTick(String tick);

        @Subject(value = "quotes.price", propagation = Propagation.HEADERS_ONLY)
        String price(String symbol);

        @Subject(value = "quotes.>", stream = "QUOTES", propagation = Propagation.PROPAGATE)
        void onStored(String quote);
    }
}
