package dev.tracewire.processor.read;

import dev.tracewire.annotations.Header;
import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.SpanAttribute;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import dev.tracewire.processor.model.Role;
import java.util.Set;

/**
 * The qualified names of the annotations every system shares: the two roles, {@code @Key},
 * {@code @Header} and {@code @SpanAttribute}. Each system names its own destination annotation.
 */
public final class AnnotationNames {

    static final String TRACED_PUBLISHER = TracedPublisher.class.getCanonicalName();
    static final String TRACED_CONSUMER = TracedConsumer.class.getCanonicalName();
    static final String KEY = Key.class.getCanonicalName();
    static final String HEADER = Header.class.getCanonicalName();
    static final String SPAN_ATTRIBUTE = SpanAttribute.class.getCanonicalName();

    private AnnotationNames() {
    }

    /** The annotation that gives {@code role}. */
    public static String of(Role role) {
        return switch (role) {
            case PUBLISHER -> TRACED_PUBLISHER;
            case CONSUMER -> TRACED_CONSUMER;
        };
    }

    static Set<String> shared() {
        return Set.of(TRACED_PUBLISHER, TRACED_CONSUMER, KEY, HEADER, SPAN_ATTRIBUTE);
    }
}
