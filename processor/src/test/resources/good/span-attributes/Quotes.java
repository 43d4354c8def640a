package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import io.nats.client.api.PublishAck;

public final class Quotes {

    private Quotes() {
    }

    @TracedPublisher
    public interface Publisher {

        @Subject("quotes.quoted")
        void quoted(Quote quote, @Header("venue") @SpanAttribute("quote.venue") String venue,
                @SpanAttribute("quote.symbol") String symbol, @SpanAttribute("quote.price") double price);

        @Subject(value = "quotes.archived", stream = "QUOTES")
        PublishAck archived(Quote quote, @SpanAttribute("quote.count") short count);

        @Subject("quotes.request")
        Quote quote(String symbol, @SpanAttribute("quote.budget.millis") Integer budgetMillis);
    }

    @TracedConsumer(group = "desk")
    public interface Handler {

        @Subject("quotes.quoted")
        void onQuoted(Quote quote, @Header("venue") @SpanAttribute("quote.venue") String venue);

        @Subject("quotes.request")
        Quote quote(String symbol, @Header("venue") @SpanAttribute("quote.venue") String venue);

        @Subject(value = "quotes.archived", stream = "QUOTES")
        void onArchived(Quote quote);
    }

    public record Quote(String symbol, double price) {
    }
}
