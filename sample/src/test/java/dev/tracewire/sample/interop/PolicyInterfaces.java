package dev.tracewire.sample.interop;

import dev.tracewire.annotations.Key;
import dev.tracewire.annotations.Propagation;
import dev.tracewire.annotations.Subject;
import dev.tracewire.annotations.Topic;
import dev.tracewire.annotations.TracedConsumer;
import dev.tracewire.annotations.TracedPublisher;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What {@link PropagationPolicyTest} sends and receives under each propagation policy: the
 * interfaces choose {@code NONE} for every method, and two methods choose otherwise.
 */
final class PolicyInterfaces {

    static final String NONE_TOPIC = "interop.policy.none";
    static final String HOT_TOPIC = "interop.policy.hot";
    static final String TRACED_TOPIC = "interop.policy.traced";
    static final String NONE_SUBJECT = "interop.policy.none";
    static final String HOT_SUBJECT = "interop.policy.hot";
    static final String TRACED_SUBJECT = "interop.policy.traced";
    static final String ASK_SUBJECT = "interop.policy.ask";

    private PolicyInterfaces() {
    }

    @TracedPublisher(propagation = Propagation.NONE)
    interface KafkaOut {
        @Topic(NONE_TOPIC)
        RecordMetadata untraced(@Key String key, String text);

        @Topic(value = HOT_TOPIC, propagation = Propagation.HEADERS_ONLY)
        RecordMetadata hot(@Key String key, String text);

        @Topic(value = TRACED_TOPIC, propagation = Propagation.PROPAGATE)
        RecordMetadata traced(@Key String key, String text);
    }

    @TracedConsumer(propagation = Propagation.NONE)
    interface KafkaIn {
        @Topic(NONE_TOPIC)
        void onUntraced(@Key String key, String text);

        @Topic(value = HOT_TOPIC, propagation = Propagation.HEADERS_ONLY)
        void onHot(@Key String key, String text);

        @Topic(value = TRACED_TOPIC, propagation = Propagation.PROPAGATE)
        void onTraced(@Key String key, String text);
    }

    @TracedPublisher(propagation = Propagation.NONE)
    interface NatsOut {
        @Subject(NONE_SUBJECT)
        void untraced(String text);

        @Subject(value = HOT_SUBJECT, propagation = Propagation.HEADERS_ONLY)
        void hot(String text);

        @Subject(value = TRACED_SUBJECT, propagation = Propagation.PROPAGATE)
        void traced(String text);
    }

    @TracedConsumer(propagation = Propagation.NONE)
    interface NatsIn {
        @Subject(NONE_SUBJECT)
        void onUntraced(String text);

        @Subject(value = HOT_SUBJECT, propagation = Propagation.HEADERS_ONLY)
        void onHot(String text);

        @Subject(value = TRACED_SUBJECT, propagation = Propagation.PROPAGATE)
        void onTraced(String text);

        /** A responder under the interface's NONE: its reply carries no context. */
        @Subject(ASK_SUBJECT)
        String answer(String question);
    }
}
