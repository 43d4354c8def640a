package dev.tracewire.runtime.kafka.internal;

import dev.tracewire.runtime.AgentInstrumentation;
import dev.tracewire.runtime.internal.JavaAgent;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

/**
 * OpenTelemetry's Java agent and Kafka: whether it instruments a producer (then its PRODUCER span
 * is the send's only one), and switching its per-record process spans off on a poll loop's thread
 * (then tracewire's CONSUMER span is the record's only one). Both once per client or thread.
 */
final class KafkaAgent {

    private static final System.Logger LOG = System.getLogger(KafkaAgent.class.getName());
    /** The agent's names for its Kafka client instrumentation, in its order. */
    static final List<String> INSTRUMENTATION_NAMES = List.of("kafka-clients", "kafka-clients-0.11", "kafka");
    /**
     * The agent's switch, on its bootstrap class path, for the process spans it makes while code
     * iterates over polled records; a thread-local one that the agent's instrumentations of
     * frameworks with poll loops of their own (Spring Kafka, Reactor Kafka, Vert.x) turn off.
     */
    private static final String PROCESS_TRACING = "io.opentelemetry.javaagent.bootstrap.kafka"
            + ".KafkaClientsConsumerProcessTracing";

    private KafkaAgent() {
    }

    /**
     * Whether the agent makes a span for each send of {@code producer}: it instruments
     * {@code KafkaProducer.send}, so a producer of another class (a mock, a wrapper of one's own) is
     * not instrumented itself.
     */
    static boolean instruments(Producer<?, ?> producer, AgentInstrumentation setting) {
        return setting == AgentInstrumentation.PRESENT
                || producer instanceof KafkaProducer && JavaAgent.instruments(setting, INSTRUMENTATION_NAMES);
    }

    /**
     * Turns the agent's per-record process spans off on the calling thread, unless
     * {@code setting} says there is no agent to mind; without the agent, or with one that no longer
     * has this switch, nothing happens.
     */
    static void leaveProcessSpansToTracewire(AgentInstrumentation setting) {
        if (setting == AgentInstrumentation.ABSENT) {
            return;
        }
        Class<?> switchClass;
        try {
            switchClass = Class.forName(PROCESS_TRACING, true, null);
        } catch (ClassNotFoundException | LinkageError noAgent) {
            return;
        }
        try {
            switchClass.getMethod("setWrappingEnabled", boolean.class).invoke(null, false);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "tracewire: could not switch OpenTelemetry's Java agent's Kafka"
                    + " process spans off on " + Thread.currentThread().getName() + "; records may get the agent's"
                    + " CONSUMER span beside tracewire's", e);
        }
    }
}
