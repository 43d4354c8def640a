package dev.tracewire.runtime;

/**
 * What a generated client does about OpenTelemetry's Java agent, which instruments the Kafka and
 * NATS clients itself when it runs: given to {@code KafkaOptions} and {@code NatsOptions}, one
 * setting per system.
 *
 * <p>Where the agent instruments a client, tracewire leaves it the spans it makes anyway, so that
 * no message gets two PRODUCER or two CONSUMER spans and the trace stays one:
 * <ul>
 *   <li>Kafka sends and core NATS publishes and requests: the agent's PRODUCER span (a child of the
 *       caller's context, its context in the message) is the only one; a returned future still
 *       completes after it ended, in the caller's context.</li>
 *   <li>Kafka poll loops run by tracewire: the agent's per-record process spans are switched off on
 *       the loop's thread (as the agent's own Spring Kafka support does), and tracewire's CONSUMER
 *       span, with its error policy, attempts and dead letters, is the only one; a dead letter's
 *       PRODUCER span is the agent's, a child of the failed process span. A loop of your own that
 *       iterates polled records and calls the generated {@code handle(record)} runs it inside the
 *       agent's process span for the record, which tracewire then takes as its own (as for NATS).</li>
 *   <li>NATS subscriptions: the agent wraps every NATS message handler in a CONSUMER span that
 *       continues the message's context; tracewire takes that span as its process span (adds its
 *       attributes, records a handler's failure on it) instead of starting a second one.</li>
 *   <li>JetStream publishes, which the agent does not instrument, keep tracewire's span.</li>
 * </ul>
 */
public enum AgentInstrumentation {

    /**
     * The default: the client looks once, when it is built, whether the agent runs in this JVM with
     * its instrumentation of that client enabled, reading the agent's settings as the agent does
     * (system properties, then environment variables): {@code otel.instrumentation.<name>.enabled}
     * for the instrumentation's names ({@code kafka-clients}, {@code kafka-clients-0.11},
     * {@code kafka}; {@code nats}, {@code nats-2.17}), then
     * {@code otel.instrumentation.common.default-enabled}. Settings the agent reads from a
     * configuration file are not seen: say {@link #PRESENT} or {@link #ABSENT} then.
     */
    DETECT,

    /** Act as though the agent instruments the client, without looking. */
    PRESENT,

    /**
     * Act as though no agent instruments the client: tracewire makes all its spans. With the
     * agent's instrumentation of that client on, messages then get its spans as well.
     */
    ABSENT
}
