package dev.tracewire.runtime.isolation;

import dev.tracewire.runtime.Codec;
import dev.tracewire.runtime.Codecs;
import dev.tracewire.runtime.nats.NatsOptions;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A user without Jackson asks for the codec of a record: run in a class loader without Jackson.
 * Returns what the runtime said, and that registered and built-in codecs still work.
 */
public final class NoJacksonCodecScenario implements Callable<String> {

    /** A payload type only JSON could encode. */
    public record Order(String id) {
    }

    @Override
    public String call() {
        NatsOptions options = NatsOptions.builder().build();
        String refusal;
        try {
            options.codecFor(Order.class);
            refusal = "no exception";
        } catch (IllegalArgumentException e) {
            refusal = e.getMessage();
        }
        Codec<Order> own = new Codec<>() {
            @Override
            public byte[] encode(Order value) {
                return value.id().getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public Order decode(byte[] data) {
                return new Order(new String(data, StandardCharsets.UTF_8));
            }
        };
        Order registered = options.toBuilder().codec(Order.class, own).build().codecFor(Order.class)
                .decode("o-1".getBytes(StandardCharsets.UTF_8));
        String text = options.codecFor(String.class).decode("text".getBytes(StandardCharsets.UTF_8));
        return refusal + "|" + registered.id() + "|" + text + "|json " + Codecs.jsonAvailable();
    }
}
