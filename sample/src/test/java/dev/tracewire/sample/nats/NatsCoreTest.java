package dev.tracewire.sample.nats;

import static dev.tracewire.sample.nats.NatsInterfaces.ALERTS;
import static dev.tracewire.sample.nats.NatsInterfaces.FIRE_ALERT;
import static dev.tracewire.sample.nats.NatsInterfaces.KITCHEN_TEMP;
import static dev.tracewire.sample.nats.NatsInterfaces.QUOTES;
import static dev.tracewire.sample.nats.NatsInterfaces.SENSORS;
import static dev.tracewire.sample.nats.NatsInterfaces.WORK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tracewire.runtime.Subscription;
import dev.tracewire.sample.nats.NatsInterfaces.Quote;
import io.nats.client.Connection;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tracing contract of DESIGN.md §3 for core NATS, proved with generated clients on a real
 * {@code nats-server}: publish and process in one trace, queue groups, wildcard subscriptions.
 */
class NatsCoreTest extends NatsTestBase {

    /** What a handler saw: the message's parts, the span it ran in and the baggage it saw. */
    record Received(Quote quote, String tenant, SpanContext span, String baggage) {
    }

    @Test
    void aPublishedMessageIsProcessedInTheSameTraceAsAChildOfThePublishSpan() throws Exception {
        Connection subscriberConnection = connect();
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsInterfaces_QuoteHandler(
                (quote, tenant) -> received.add(new Received(quote, tenant, Span.current().getSpanContext(),
                        Baggage.current().getEntryValue("customer"))),
                options).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        Connection publisherConnection = connect();
        NatsInterfaces.QuotePublisher publisher =
                new TracedNatsInterfaces_QuotePublisher(publisherConnection, options);

        Span caller = tracer().spanBuilder("caller").startSpan();
        Context callerContext = Context.current().with(caller)
                .with(Baggage.builder().put("customer", "c-42").build());
        Scope scope = callerContext.makeCurrent();
        try {
            publisher.quoted(new Quote("ACME", 12_345), "tenant-a");
            assertThat(Context.current()).as("the caller's context after publish").isSameAs(callerContext);
        } finally {
            scope.close();
            caller.end();
        }

        Received got = received.poll(30, TimeUnit.SECONDS);
        assertThat(got).as("the handler was called").isNotNull();
        assertThat(got.quote()).isEqualTo(new Quote("ACME", 12_345));
        assertThat(got.tenant()).isEqualTo("tenant-a");
        assertThat(got.baggage()).as("baggage in the handler").isEqualTo("c-42");

        SpanData publish = awaitSpan("publish " + QUOTES);
        SpanData process = awaitSpan("process " + QUOTES);
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getTraceId()).isEqualTo(caller.getSpanContext().getTraceId());
        assertThat(publish.getParentSpanId()).isEqualTo(caller.getSpanContext().getSpanId());
        assertThat(publish.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(publish.getAttributes().get(SYSTEM)).isEqualTo("nats");
        assertThat(publish.getAttributes().get(DESTINATION)).isEqualTo(QUOTES);
        assertThat(publish.getAttributes().get(OPERATION_TYPE)).isEqualTo("send");
        assertThat(publish.getAttributes().get(OPERATION_NAME)).isEqualTo("publish");
        assertThat(publish.getAttributes().get(SERVER_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(publish.getAttributes().get(SERVER_PORT)).isEqualTo((long) nats.port());
        assertThat(publish.getAttributes().get(CLIENT_ID))
                .isEqualTo(Integer.toString(publisherConnection.getServerInfo().getClientId()));
        assertThat(publish.getAttributes().get(TEMPLATE)).isNull();

        assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(process.getTraceId()).isEqualTo(publish.getTraceId());
        assertThat(process.getParentSpanId()).isEqualTo(publish.getSpanId());
        assertThat(process.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
        assertThat(process.getAttributes().get(SYSTEM)).isEqualTo("nats");
        assertThat(process.getAttributes().get(DESTINATION)).isEqualTo(QUOTES);
        assertThat(process.getAttributes().get(OPERATION_TYPE)).isEqualTo("process");
        assertThat(process.getAttributes().get(OPERATION_NAME)).isEqualTo("process");
        assertThat(process.getAttributes().get(GROUP)).isEqualTo("e2e-quotes");
        assertThat(process.getAttributes().get(TEMPLATE)).as("not a wildcard subscription").isNull();
        assertThat(process.getAttributes().get(SERVER_ADDRESS)).as("the consumer's server").isEqualTo("127.0.0.1");
        assertThat(process.getAttributes().get(SERVER_PORT)).isEqualTo((long) nats.port());
        assertThat(got.span()).as("Span.current() in the handler").isEqualTo(process.getSpanContext());
    }

    @Test
    void aHeaderValueJnatsRefusesFailsThatPublishOnItsSpanAndNothingElse() throws Exception {
        Connection subscriberConnection = connect();
        BlockingQueue<String> tenants = new LinkedBlockingQueue<>();
        closeLater(new TracedNatsInterfaces_QuoteHandler((quote, tenant) -> tenants.add(tenant), options)
                .start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        NatsInterfaces.QuotePublisher publisher = new TracedNatsInterfaces_QuotePublisher(connect(), options);

        // jnats takes printable ASCII and tab in header values only; a reader's jnats would stop at such a header.
        assertThatThrownBy(() -> publisher.quoted(new Quote("ACME", 1), "Zürich"))
                .isInstanceOf(IllegalArgumentException.class);
        publisher.quoted(new Quote("ACME", 2), "Zurich");

        assertThat(tenants.poll(30, TimeUnit.SECONDS)).as("the next publish, on the same connection")
                .isEqualTo("Zurich");
        List<SpanData> publishes = awaitSpans("publish " + QUOTES, 2);
        assertThat(publishes).filteredOn(span -> span.getStatus().getStatusCode() == StatusCode.ERROR)
                .singleElement()
                .satisfies(failed -> assertThat(failed.getAttributes().get(ERROR_TYPE))
                        .isEqualTo(IllegalArgumentException.class.getName()));
        assertThat(awaitSpans("process " + QUOTES, 1)).hasSize(1);
        assertThat(tenants.poll(500, TimeUnit.MILLISECONDS)).as("nothing of the refused publish").isNull();
    }

    @Test
    void subscriptionsInOneQueueGroupShareTheMessagesAndHandleEachExactlyOnce() throws Exception {
        List<String> first = Collections.synchronizedList(new ArrayList<>());
        List<String> second = Collections.synchronizedList(new ArrayList<>());
        Connection firstConnection = connect();
        Connection secondConnection = connect();
        Subscription firstSubscription =
                closeLater(new TracedNatsInterfaces_Worker(first::add, options).start(firstConnection));
        Subscription secondSubscription =
                closeLater(new TracedNatsInterfaces_Worker(second::add, options).start(secondConnection));
        firstConnection.flush(Duration.ofSeconds(5));
        secondConnection.flush(Duration.ofSeconds(5));
        Connection publisherConnection = connect();
        NatsInterfaces.QuotePublisher publisher =
                new TracedNatsInterfaces_QuotePublisher(publisherConnection, options);

        int count = 20;
        for (int i = 0; i < count; i++) {
            publisher.work("item-" + i);
        }
        publisherConnection.flush(Duration.ofSeconds(5));
        await(Duration.ofSeconds(30), "all items handled", () -> first.size() + second.size() >= count);
        // Draining finishes whatever is still in flight, so the counts below are final.
        firstSubscription.close();
        secondSubscription.close();

        assertThat(first).as("first member's share").isNotEmpty();
        assertThat(second).as("second member's share").isNotEmpty();
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).as("every item exactly once").hasSize(count);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < count; i++) {
            expected.add("item-" + i);
        }
        assertThat(new HashSet<>(all)).isEqualTo(expected);

        List<SpanData> processSpans = named(exporter.getFinishedSpanItems(), "process " + WORK);
        List<SpanData> publishSpans = named(exporter.getFinishedSpanItems(), "publish " + WORK);
        assertThat(processSpans).hasSize(count);
        assertThat(publishSpans).hasSize(count);
        for (SpanData process : processSpans) {
            assertThat(process.getAttributes().get(GROUP)).isEqualTo("e2e-workers");
            assertThat(publishSpans).as("a publish span is the parent of %s", process)
                    .anyMatch(publish -> publish.getSpanId().equals(process.getParentSpanId())
                            && publish.getTraceId().equals(process.getTraceId()));
        }
    }

    @Test
    void wildcardSubscriptionsNameTheSpanAfterTheSubscribedSubjectAndRecordTheActualOne() throws Exception {
        BlockingQueue<String> temperatures = new LinkedBlockingQueue<>();
        BlockingQueue<String> alerts = new LinkedBlockingQueue<>();
        Connection subscriberConnection = connect();
        closeLater(new TracedNatsInterfaces_Watcher(new NatsInterfaces.Watcher() {
            @Override
            public void onTemperature(String celsius) {
                temperatures.add(celsius);
            }

            @Override
            public void onAlert(String text) {
                alerts.add(text);
            }
        }, options).start(subscriberConnection));
        subscriberConnection.flush(Duration.ofSeconds(5));
        NatsInterfaces.QuotePublisher publisher = new TracedNatsInterfaces_QuotePublisher(connect(), options);

        publisher.kitchenTemperature("21.5");
        publisher.fire("smoke on floor 1");

        assertThat(temperatures.poll(30, TimeUnit.SECONDS)).isEqualTo("21.5");
        assertThat(alerts.poll(30, TimeUnit.SECONDS)).isEqualTo("smoke on floor 1");
        SpanData temperature = awaitSpan("process " + SENSORS);
        SpanData alert = awaitSpan("process " + ALERTS);
        SpanData temperaturePublish = awaitSpan("publish " + KITCHEN_TEMP);
        SpanData alertPublish = awaitSpan("publish " + FIRE_ALERT);

        assertThat(temperature.getAttributes().get(DESTINATION)).isEqualTo(KITCHEN_TEMP);
        assertThat(temperature.getAttributes().get(TEMPLATE)).isEqualTo(SENSORS);
        assertThat(temperature.getAttributes().get(GROUP)).as("no queue group").isNull();
        assertThat(temperature.getParentSpanId()).isEqualTo(temperaturePublish.getSpanId());
        assertThat(temperature.getTraceId()).isEqualTo(temperaturePublish.getTraceId());
        assertThat(alert.getAttributes().get(DESTINATION)).isEqualTo(FIRE_ALERT);
        assertThat(alert.getAttributes().get(TEMPLATE)).isEqualTo(ALERTS);
        assertThat(alert.getParentSpanId()).isEqualTo(alertPublish.getSpanId());
        assertThat(alert.getTraceId()).isEqualTo(alertPublish.getTraceId());
        assertThat(temperaturePublish.getAttributes().get(DESTINATION)).isEqualTo(KITCHEN_TEMP);
        assertThat(temperaturePublish.getAttributes().get(TEMPLATE)).isNull();
    }
}
