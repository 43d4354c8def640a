package test;

import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;

public final class Ticks {

    private Ticks() {
    }

    @TracedPublisher
    public interface Publisher {
        @Topic("ticks")
        void tick(byte[] payload);

        @Topic("heartbeats")
        void heartbeat();
    }

    @TracedConsumer
    public interface Handler {
        @Topic("ticks")
        void onTick(byte[] payload);
    }
}
