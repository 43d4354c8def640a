package dev.tracewire.runtime.internal;

import java.util.Locale;

/**
 * What carried a consumed message's trace context, for the propagation-health counter: a team can
 * alert on a rising share of {@link #ABSENT} or {@link #INVALID}, the orphan spans a tracing
 * backend only shows after the fact.
 */
public enum ContextSource {
    /** A valid context in the message's headers. */
    HEADER,
    /** A valid context in the payload's context field, from a peer that cannot send headers. */
    PAYLOAD,
    /** A valid context in a legacy format (a correlation id of an older service). */
    LEGACY,
    /** No propagation header and no payload field: the message starts a new trace. */
    ABSENT,
    /** A propagation header or payload field that holds no valid context: a new trace too. */
    INVALID;

    /** The attribute value: the name in lower case. */
    final String value = name().toLowerCase(Locale.ROOT);
}
