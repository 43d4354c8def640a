package test;

import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.TracedPublisher;
import java.util.List;

@TracedPublisher
public interface Events {

    @Subject("orders")
    void placed(
            List<String> orderLines);
}
