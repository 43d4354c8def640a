package test;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedPublisher;
import java.util.List;

@TracedPublisher
public interface Events {

    @Topic("orders")
    void placed(
            String order,
            @Header("tags") List<String> tagList);
}
