package dev.tracewire.runtime.isolation;

import dev.tracewire.runtime.Codecs;
import dev.tracewire.runtime.TracewireOptions;
import dev.tracewire.runtime.nats.internal.NatsDispatcher;
import io.nats.client.impl.NatsMessage;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What a NATS-only user does, run in a class loader without kafka-clients and Jackson: handle a
 * message through a dispatcher, and find out that JSON needs Jackson. Returns what it saw.
 */
public final class NatsOnlyScenario implements Callable<String> {

    @Override
    public String call() throws Exception {
        TracewireOptions options = TracewireOptions.builder().openTelemetry(OpenTelemetry.noop()).build();
        List<String> seen = new ArrayList<>();
        NatsDispatcher dispatcher = NatsDispatcher.builder("Handler", "", options)
                .route("prices.*", String.class, (payload, message) -> seen.add(message.getSubject() + "=" + payload))
                .build();
        dispatcher.handle(NatsMessage.builder().subject("prices.btc")
                .data("42".getBytes(StandardCharsets.UTF_8)).build());
        return "handled " + seen + ", json " + Codecs.jsonAvailable();
    }
}
