package test;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import java.util.Set;

@TracedConsumer(group = "analytics")
interface Events {

    @Topic("clicks")
    void onClick(@Key Long userId, CharSequence page);

    @Topic("views")
    void onView(@Key Long userId, Set<String> pages);

    @Topic("counts")
    void onCount(@Key long userId, Integer count);
}
