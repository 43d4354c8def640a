package dev.tracewire.processor.diag;

/**
 * Every diagnostic the processor reports, in one place so that the wording can be reviewed
 * together. Each has a stable ID (shown in brackets, safe to search for), says what is wrong and
 * what to do instead. Arguments are filled in with {@link String#format}. Where the wording
 * depends on the messaging system at fault (what it calls a destination, its annotation, its
 * return types), the system's words are arguments, so each system's diagnostics speak its terms.
 */
public enum Message {

    NOT_AN_INTERFACE("TracewireNotAnInterface",
            "@%s applies to interfaces only, but %s is %s; declare an interface and annotate it instead"),
    BOTH_ROLES("TracewireBothRoles",
            "%s is annotated with both @TracedPublisher and @TracedConsumer; declare the sending and the handling"
                    + " methods in two interfaces"),
    PRIVATE_INTERFACE("TracewirePrivateInterface",
            "%s is private, so the generated class cannot implement it; make it package-private or public"),
    GENERIC_INTERFACE("TracewireGenericInterface",
            "%s has type parameters; declare a non-generic interface that extends it with concrete types, for"
                    + " example interface OrderEvents extends %s<Order>, and annotate that one"),
    NO_METHODS("TracewireNoMethods",
            "%s has no abstract methods, so there is nothing to generate; add a method annotated with %s"),
    MISSING_DESTINATION("TracewireMissingDestination",
            "method %s has no destination; annotate it with %s"),
    BOTH_DESTINATIONS("TracewireBothDestinations",
            "method %s is annotated for %s and for %s; a method talks to one system, so keep the annotation of"
                    + " the one it talks to"),
    MIXED_SYSTEMS("TracewireMixedSystems",
            "method %s uses %s but the interface's first method uses %s; one interface talks to one system, so"
                    + " move the %s methods into an interface of their own"),
    KEY_ON_NATS("TracewireKeyOnNats",
            "parameter %1$s of %2$s method %3$s is a @Key, but %2$s messages have no key; make it a"
                    + " @Header(\"name\") or part of the payload"),
    NATS_PAYLOAD_TYPE("TracewireNatsPayloadType",
            "%s of NATS method %s has type %s, but NATS payloads and replies go through a codec chosen by class;"
                    + " use a class, for example a record that holds it"),
    BLANK_DESTINATION("TracewireBlankDestination",
            "the %1$s of method %2$s is blank; give the %1$s name, for example %3$s"),
    GENERIC_METHOD("TracewireGenericMethod",
            "method %s declares type parameters, which a generated implementation cannot bind; use concrete"
                    + " parameter types"),
    TWO_PAYLOADS("TracewireTwoPayloads",
            "method %s has more than one parameter without an annotation (%s); a message has one payload, so mark"
                    + " the others with %s, or wrap them in one type"),
    TWO_KEYS("TracewireTwoKeys",
            "method %s has more than one @Key parameter; a message has one key, so keep @Key on one parameter"),
    KEY_AND_HEADER("TracewireKeyAndHeader",
            "parameter %s is annotated with both @Key and @Header; it can be the key or a header, not both"),
    BLANK_HEADER_NAME("TracewireBlankHeaderName",
            "the @Header name of parameter %s is blank; name the header, for example @Header(\"tenant\")"),
    DUPLICATE_HEADER_NAME("TracewireDuplicateHeaderName",
            "header \"%s\" is bound to more than one parameter of method %s; bind each header name once"),
    RESERVED_HEADER_NAME("TracewireReservedHeaderName",
            "header \"%s\" belongs to the trace context propagators, which write and read it themselves; choose"
                    + " another name (propagation headers are traceparent, tracestate, baggage, b3, X-B3-*,"
                    + " uber-trace-id, uberctx-*)"),
    HEADER_TYPE("TracewireHeaderType",
            "@Header parameter %s has type %s; %s header parameters are %s"),
    SPAN_ATTRIBUTE_TYPE("TracewireSpanAttributeType",
            "@SpanAttribute parameter %s has type %s; span attributes are String, boolean, byte, short, int, long,"
                    + " float or double (or their boxes), so record a value of one of those types"),
    SPAN_ATTRIBUTE_TARGET("TracewireSpanAttributeTarget",
            "@SpanAttribute is on parameter %s, the payload of consumer method %s; on a consumer only the @Key and"
                    + " @Header parameters, whose values come from the message, can be span attributes, so send the"
                    + " value in a header, or set it on Span.current() in the handler"),
    BLANK_SPAN_ATTRIBUTE("TracewireBlankSpanAttribute",
            "the @SpanAttribute name of parameter %s is blank; name the attribute, for example"
                    + " @SpanAttribute(\"order.tenant\")"),
    DUPLICATE_SPAN_ATTRIBUTE("TracewireDuplicateSpanAttribute",
            "span attribute \"%s\" is bound to more than one parameter of method %s; record each attribute once"),
    BATCH_KEY("TracewireBatchKey",
            "parameter %s of batch method %s is a @Key, but a batch method receives the values of its records"
                    + " only; drop @Key (put what you need of the key in the value), or handle one record at a time"
                    + " with a payload that is not a List"),
    BATCH_HEADER("TracewireBatchHeader",
            "parameter %s of batch method %s is a @Header, but a batch method receives the payloads of its"
                    + " messages only; drop @Header (put what you need of it in the payload), or handle one message"
                    + " at a time with a payload that is not a List"),
    BATCH_CORE_NATS("TracewireBatchCoreNats",
            "batch method %s subscribes to core NATS subject %s, which hands over messages one by one; name the"
                    + " JetStream stream to fetch batches from, as in @Subject(value = \"%s\", stream = \"...\"), or"
                    + " take one payload that is not a List"),
    PROPAGATION_SPAN_ATTRIBUTE("TracewirePropagationSpanAttribute",
            "@SpanAttribute is on parameter %s of method %s, whose propagation is HEADERS_ONLY (%s), which makes no"
                    + " span to record it on; drop @SpanAttribute, or give the method propagation = PROPAGATE or NONE"),
    PROPAGATION_BATCH("TracewirePropagationBatch",
            "batch method %s has propagation HEADERS_ONLY (%s), but a batch has one context per message and none to"
                    + " make current; give it propagation = PROPAGATE (one span linked to every message's context)"
                    + " or NONE"),
    VARARGS("TracewireVarargs",
            "method %s is variadic; declare the last parameter as an array or a List instead"),
    PUBLISHER_RETURN_TYPE("TracewirePublisherReturnType",
            "method %s returns %s, which a %s publisher cannot return; return one of %s"),
    CONSUMER_RETURN_TYPE("TracewireConsumerReturnType",
            "consumer method %s returns %s, but a %s consumer has nobody to return a value to; %s"),
    DUPLICATE_CONSUMER_DESTINATION("TracewireDuplicateConsumerDestination",
            "methods %1$s and %2$s of a consumer both handle %3$s \"%4$s\"; each message is handled by one"
                    + " method, so give each %3$s one method"),
    UNKNOWN_OPTION("TracewireUnknownOption",
            "processor option -A%s is not one of tracewire's; the options are %s"),
    INVALID_OPTION_VALUE("TracewireInvalidOption",
            "processor option -A%s has the value \"%s\"; give true or false, for example -A%s=true"),
    UNKNOWN_COMPONENT_MODEL("TracewireUnknownComponentModel",
            "%s \"%s\" is not a component model; use %s (the constants of"
                    + " dev.tracewire.annotations.ComponentModel)"),
    COMPONENT_MODEL_UNAVAILABLE("TracewireComponentModelUnavailable",
            "component model %s of %s needs %s on the compile class path, which this compilation lacks; add %s"
                    + " to the dependencies, or choose another component model"),
    UNRESOLVED_TYPE("TracewireUnresolvedType",
            "%s refers to a type that never became available (%s); check its imports, or the annotation processor"
                    + " that should generate it"),
    INTERNAL_ERROR("TracewireInternalError",
            "tracewire failed unexpectedly while processing %s; please report this with the stack trace:%n%s");

    private final String id;
    private final String template;

    Message(String id, String template) {
        this.id = id;
        this.template = template;
    }

    /** The stable ID, without brackets. */
    public String id() {
        return id;
    }

    /** The text as the user sees it: {@code [Id] } followed by the filled-in template. */
    public String format(Object... arguments) {
        return "[" + id + "] " + String.format(template, arguments);
    }
}
