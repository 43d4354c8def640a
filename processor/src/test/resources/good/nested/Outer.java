package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;

public class Outer {

    public interface Events<T> {
        @Topic("events")
        void sent(@Key String key, T payload, @Header("record") String record);
    }

    @TracedPublisher
    interface OrderEvents extends Events<String> {
        @Topic("orders")
        void sent(@Key String record, String sent);
    }
}
