package dev.tracewire.processor;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.Compiler;
import dev.tracewire.processor.diag.Message;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Negative tests, at least one per {@link Message}: each case compiles one folder of {@code bad/}
 * and checks that the compilation failed, that the message's error points at the exact line and
 * column of the element at fault (the annotation value, the parameter or the method), and that
 * nothing was generated for the broken interface.
 */
class DiagnosticsTest {

    /** Makes the processor fail on {@code Boom} the way a bug in it would. */
    private static final Consumer<TypeElement> BOOM = type -> {
        if (type.getSimpleName().contentEquals("Boom")) {
            throw new IllegalStateException("boom");
        }
    };

    private static final List<Case> CASES = List.of(
            Case.pinned(Message.NOT_AN_INTERFACE, "not-an-interface/class", "@TracedPublisher", "@")
                    .saying("Events is a class"),
            Case.pinned(Message.NOT_AN_INTERFACE, "not-an-interface/enum", "@TracedConsumer", "@")
                    .saying("Events is an enum"),
            Case.pinned(Message.NOT_AN_INTERFACE, "not-an-interface/record", "@TracedPublisher", "@")
                    .saying("Events is a record"),
            Case.pinned(Message.NOT_AN_INTERFACE, "not-an-interface/annotation", "@TracedPublisher", "@")
                    .saying("Events is an annotation type"),
            Case.pinned(Message.BOTH_ROLES, "both-roles", "@TracedConsumer", "@"),
            Case.pinned(Message.PRIVATE_INTERFACE, "private-interface", "@TracedPublisher", "@")
                    .saying("Events is private"),
            Case.pinned(Message.GENERIC_INTERFACE, "generic-interface", "@TracedPublisher", "@"),
            Case.pinned(Message.NO_METHODS, "no-methods", "@TracedPublisher", "@")
                    .saying("@Topic(\"...\") for a Kafka topic or @Subject(\"...\") for a NATS subject"),
            Case.pinned(Message.MISSING_DESTINATION, "missing-destination", "void forgotten(", "forgotten")
                    .saying("method Events.forgotten()", "@Topic(\"...\") for a Kafka topic, like the interface's"),
            Case.pinned(Message.MISSING_DESTINATION, "missing-destination-nats", "void forgotten(", "forgotten")
                    .saying("@Subject(\"...\") for a NATS subject, like the interface's"),
            Case.pinned(Message.MISSING_DESTINATION, "no-destination-at-all", "void placed(", "placed")
                    .saying("@Topic(\"...\") for a Kafka topic or @Subject(\"...\") for a NATS subject"),
            Case.pinned(Message.BLANK_DESTINATION, "blank-destination/empty", "@Topic(\"\")", "\"")
                    .saying("the topic of method Events.sent() is blank", "@Topic(\"orders\")"),
            Case.pinned(Message.BLANK_DESTINATION, "blank-destination/spaces", "@Topic(\"  \")", "\""),
            Case.pinned(Message.BLANK_DESTINATION, "blank-destination/subject", "@Subject(\" \")", "\"")
                    .saying("the subject of method Events.placed() is blank", "@Subject(\"orders.placed\")"),
            Case.pinned(Message.GENERIC_METHOD, "generic-method", "void sent(", "sent"),
            Case.pinned(Message.TWO_PAYLOADS, "two-payloads", "String customer", "customer")
                    .saying("(order, customer)", "mark the others with @Key or @Header(\"name\")"),
            Case.pinned(Message.TWO_PAYLOADS, "two-payloads-nats", "String customer", "customer")
                    .saying("(order, customer)", "mark the others with @Header(\"name\"), or wrap"),
            Case.pinned(Message.TWO_KEYS, "two-keys", "customerId", "@Key"),
            Case.pinned(Message.KEY_AND_HEADER, "key-and-header", "@Header(\"tenant\")", "@Header"),
            Case.pinned(Message.BLANK_HEADER_NAME, "blank-header-name", "@Header(\" \")", "\""),
            Case.pinned(Message.DUPLICATE_HEADER_NAME, "duplicate-header-name", "customerTenant", "\"")
                    .saying("header \"tenant\""),
            reservedHeader("traceparent", "traceparent"),
            reservedHeader("tracestate", "tracestate"),
            reservedHeader("baggage", "baggage"),
            reservedHeader("b3", "b3"),
            reservedHeader("x-b3-traceid", "X-B3-TraceId"),
            reservedHeader("uber-trace-id", "uber-trace-id"),
            reservedHeader("uberctx-user", "uberctx-user"),
            reservedHeader("traceparent-mixed-case", "TraceParent"),
            Case.pinned(Message.HEADER_TYPE, "header-type/int", "attemptNumber", "attemptNumber")
                    .saying("has type int;"),
            Case.pinned(Message.HEADER_TYPE, "header-type/list", "tagList", "tagList")
                    .saying("has type java.util.List<java.lang.String>;",
                            "Kafka header parameters are String (sent as UTF-8) or byte[]"),
            Case.pinned(Message.HEADER_TYPE, "header-type/nats-bytes", "noteBytes", "noteBytes")
                    .saying("has type byte[]; NATS header parameters are String (sent as UTF-8)"),
            Case.pinned(Message.SPAN_ATTRIBUTE_TYPE, "span-attribute-type/record", "customerRecord", "customerRecord")
                    .saying("parameter customerRecord has type test.Events.Customer;", "String, boolean, byte"),
            Case.pinned(Message.SPAN_ATTRIBUTE_TYPE, "span-attribute-type/bytes-header", "noteBytes", "noteBytes")
                    .saying("has type byte[];"),
            Case.pinned(Message.SPAN_ATTRIBUTE_TYPE, "span-attribute-type/char", "gradeLetter", "gradeLetter")
                    .saying("has type char;"),
            Case.pinned(Message.SPAN_ATTRIBUTE_TARGET, "span-attribute-target/kafka", "@SpanAttribute", "@")
                    .saying("parameter order, the payload of consumer method Handler.onOrder()",
                            "only the @Key and @Header parameters"),
            Case.pinned(Message.SPAN_ATTRIBUTE_TARGET, "span-attribute-target/nats", "@SpanAttribute", "@"),
            Case.pinned(Message.BLANK_SPAN_ATTRIBUTE, "blank-span-attribute", "@SpanAttribute(\" \")", "\"")
                    .saying("parameter orderId is blank"),
            Case.pinned(Message.DUPLICATE_SPAN_ATTRIBUTE, "duplicate-span-attribute", "customerTenant", "\"")
                    .saying("span attribute \"order.tenant\"", "method Events.placed()"),
            Case.pinned(Message.BATCH_KEY, "batch/key", "@Key String paymentId", "@Key")
                    .saying("parameter paymentId of batch method Handler.onPayments()", "drop @Key"),
            Case.pinned(Message.BATCH_HEADER, "batch/header", "@Header(\"tenant\")", "@Header")
                    .saying("parameter tenant of batch method Handler.onJobs()", "drop @Header"),
            Case.pinned(Message.BATCH_CORE_NATS, "batch/core-nats", "@Subject(\"jobs.queued\")", "@")
                    .saying("batch method Handler.onJobs() subscribes to core NATS subject jobs.queued",
                            "@Subject(value = \"jobs.queued\", stream = \"...\")"),
            Case.pinned(Message.PROPAGATION_SPAN_ATTRIBUTE, "propagation/span-attribute", "@SpanAttribute", "@")
                    .saying("parameter tenant of method Events.placed()", "HEADERS_ONLY (written on @Topic)",
                            "drop @SpanAttribute"),
            Case.pinned(Message.PROPAGATION_SPAN_ATTRIBUTE, "propagation/span-attribute-inherited", "@SpanAttribute",
                            "@SpanAttribute")
                    .saying("parameter orderId of method Handler.onOrder()", "(written on @TracedConsumer)"),
            Case.pinned(Message.PROPAGATION_BATCH, "propagation/batch", "propagation = Propagation.HEADERS_ONLY",
                            ".HEADERS_ONLY")
                    .saying("batch method Handler.onPayments() has propagation HEADERS_ONLY (written on @Topic)",
                            "PROPAGATE (one span linked to every message's context) or NONE"),
            Case.pinned(Message.PROPAGATION_BATCH, "propagation/batch-inherited", "propagation = Propagation.HEADERS_ONLY",
                            ".HEADERS_ONLY")
                    .saying("batch method Handler.onJobs() has propagation HEADERS_ONLY (written on @TracedConsumer)"),
            Case.pinned(Message.VARARGS, "varargs", "void sent(", "sent"),
            Case.pinned(Message.PUBLISHER_RETURN_TYPE, "publisher-return-type/string", "String sent(", "sent")
                    .saying("returns java.lang.String,")
                    .saying(supportedPublisherReturnTypes()),
            Case.pinned(Message.PUBLISHER_RETURN_TYPE, "publisher-return-type/future-of-string",
                            "CompletableFuture<String> sent(", "sent")
                    .saying("returns java.util.concurrent.CompletableFuture<java.lang.String>,")
                    .saying(supportedPublisherReturnTypes()),
            Case.pinned(Message.CONSUMER_RETURN_TYPE, "consumer-return-type", "boolean onEvent(", "onEvent")
                    .saying("returns boolean", "a Kafka consumer has nobody to return a value to"),
            Case.pinned(Message.CONSUMER_RETURN_TYPE, "consumer-return-type-jetstream", "String onOrder(", "onOrder")
                    .saying("returns java.lang.String", "a JetStream consumer", "core NATS responder"),
            Case.pinned(Message.BOTH_DESTINATIONS, "both-destinations", "@Subject(\"orders\")", "@")
                    .saying("method Events.placed()", "for Kafka (@Topic) and for NATS (@Subject)"),
            Case.pinned(Message.MIXED_SYSTEMS, "mixed-systems", "@Subject(\"orders.amended\")", "@")
                    .saying("NATS (@Subject)", "Kafka (@Topic)", "move the NATS methods"),
            Case.pinned(Message.KEY_ON_NATS, "key-on-nats", "@Key String orderId", "@Key")
                    .saying("parameter orderId", "of NATS method Events.placed()", "NATS messages have no key"),
            Case.pinned(Message.NATS_PAYLOAD_TYPE, "nats-payload-type", "List<String> orderLines", "orderLines")
                    .saying("java.util.List<java.lang.String>"),
            Case.pinned(Message.DUPLICATE_CONSUMER_DESTINATION, "duplicate-consumer-destination",
                            "void onEventAgain(", "onEventAgain")
                    .saying("onEvent() and onEventAgain()", "topic \"events\"", "give each topic one method"),
            Case.pinned(Message.DUPLICATE_CONSUMER_DESTINATION, "duplicate-consumer-destination-nats",
                            "void onOrderAgain(", "onOrderAgain")
                    .saying("subject \"orders.placed\"", "give each subject one method"),
            Case.unpinned(Message.UNKNOWN_OPTION, "options", "-Atracewire.nonsense=1")
                    .saying("-Atracewire.nonsense", "tracewire.generatedAnnotation, tracewire.verbose"),
            Case.unpinned(Message.INVALID_OPTION_VALUE, "options", "-Atracewire.verbose=maybe")
                    .saying("-Atracewire.verbose", "\"maybe\""),
            Case.pinned(Message.UNKNOWN_COMPONENT_MODEL, "component-model/unknown", "componentModel = \"guice\"", "\"")
                    .saying("componentModel \"guice\" is not a component model", "use default, jakarta or spring"),
            Case.unpinned(Message.UNKNOWN_COMPONENT_MODEL, "options", "-Atracewire.defaultComponentModel=Spring")
                    .saying("processor option -Atracewire.defaultComponentModel \"Spring\"", "default, jakarta or spring"),
            Case.pinned(Message.COMPONENT_MODEL_UNAVAILABLE, "component-model/unavailable", "ComponentModel.SPRING",
                            ".SPRING")
                    .withoutJars("spring-")
                    .saying("component model spring of Handler needs org.springframework.stereotype.Component,"
                            + " org.springframework.context.SmartLifecycle,"
                            + " org.springframework.beans.factory.ObjectProvider", "org.springframework:spring-context"),
            Case.pinned(Message.COMPONENT_MODEL_UNAVAILABLE, "component-model/unavailable-by-option", "@TracedPublisher",
                            "@")
                    .withOptions("-Atracewire.defaultComponentModel=jakarta")
                    .withoutJars("jakarta.inject-api")
                    .saying("component model jakarta of Events needs jakarta.inject.Singleton, jakarta.inject.Inject",
                            "jakarta.inject:jakarta.inject-api"),
            Case.pinned(Message.UNRESOLVED_TYPE, "unresolved-type", "public interface Events", "interface")
                    .saying("MissingPayload"),
            Case.pinned(Message.INTERNAL_ERROR, "internal-error", "public interface Boom", "interface")
                    .inFile("Boom.java")
                    .withHook(BOOM)
                    .saying("IllegalStateException: boom", "at dev.tracewire.processor"));

    static List<Case> cases() {
        return CASES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsTheMessageOnTheElementAtFault(Case c) {
        Compiled compiled = c.compile();
        Compilation compilation = compiled.compilation();

        CompilationSubject.assertThat(compilation).failed();
        if (c.line() == null) {
            CompilationSubject.assertThat(compilation).hadErrorContaining(c.bracketedId());
        } else {
            JavaFileObject file = c.pinnedFile();
            CompilationSubject.assertThat(compilation).hadErrorContaining(c.bracketedId())
                    .inFile(file).onLineContaining(c.line());
            CompilationSubject.assertThat(compilation).hadErrorContaining(c.bracketedId())
                    .inFile(file).onLine(c.lineNumber()).atColumn(c.column());
            assertThat(compiled.generatedClasses()).noneMatch(name -> isGeneratedFor(name, c.brokenType()));
        }
        if (!c.texts().isEmpty()) {
            assertThat(errorsWithId(compilation, c.message()))
                    .anySatisfy(text -> assertThat(text).contains(c.texts()));
        }
    }

    @Test
    void everyMessageHasANegativeTest() {
        Map<Message, List<Case>> byMessage = CASES.stream().collect(
                Collectors.groupingBy(Case::message, () -> new EnumMap<>(Message.class), Collectors.toList()));

        assertThat(byMessage.keySet()).isEqualTo(EnumSet.allOf(Message.class));
    }

    @Test
    void reportsEveryMistakeOfAnInterfaceAtOnce() {
        Case missingDestination = Case.pinned(Message.MISSING_DESTINATION, "several-mistakes", "void placed(", "placed");
        Case twoKeys = Case.pinned(Message.TWO_KEYS, "several-mistakes", "refundId", "@Key");
        Case reservedHeader = Case.pinned(Message.RESERVED_HEADER_NAME, "several-mistakes", "@Header(", "\"");
        Compiled compiled = missingDestination.compile();
        Compilation compilation = compiled.compilation();

        CompilationSubject.assertThat(compilation).failed();
        for (Case c : List.of(missingDestination, twoKeys, reservedHeader)) {
            CompilationSubject.assertThat(compilation).hadErrorContaining(c.bracketedId())
                    .inFile(c.pinnedFile()).onLine(c.lineNumber()).atColumn(c.column());
        }
        CompilationSubject.assertThat(compilation).hadErrorCount(3);
        assertThat(compiled.generatedClasses()).isEmpty();
    }

    @Test
    void anInternalErrorIsOneDiagnosticAndTheOtherInterfacesAreStillGenerated() {
        Compiled compiled = casesOf(Message.INTERNAL_ERROR).get(0).compile();
        Compilation compilation = compiled.compilation();

        assertThat(compilation.errors()).hasSize(1);
        assertThat(errorsWithId(compilation, Message.INTERNAL_ERROR)).singleElement().asString()
                .contains("test.Boom", "java.lang.IllegalStateException: boom", "at dev.tracewire.processor.");
        assertThat(compiled.generatedClasses()).containsExactly("TracedFine");
    }

    @Test
    void anUnresolvedTypeIsReportedByJavacAndByTracewire() {
        Compilation compilation = casesOf(Message.UNRESOLVED_TYPE).get(0).compile().compilation();

        assertThat(compilation.errors()).map(error -> error.getMessage(null))
                .anySatisfy(text -> assertThat(text).startsWith("[" + Message.UNRESOLVED_TYPE.id() + "]"))
                .anySatisfy(text -> assertThat(text).doesNotStartWith("[").contains("MissingPayload"));
    }

    private static List<Case> casesOf(Message message) {
        return CASES.stream().filter(c -> c.message() == message).toList();
    }

    private static List<String> errorsWithId(Compilation compilation, Message message) {
        return compilation.errors().stream().map(error -> error.getMessage(null))
                .filter(text -> text.startsWith("[" + message.id() + "] ")).toList();
    }

    /** Whether {@code generatedClass} implements {@code type} or an interface nested in it. */
    private static boolean isGeneratedFor(String generatedClass, String type) {
        return generatedClass.equals("Traced" + type) || generatedClass.startsWith("Traced" + type + "_");
    }

    private static String[] supportedPublisherReturnTypes() {
        return new String[] {"void", "CompletableFuture<RecordMetadata>", "CompletionStage<RecordMetadata>",
            "Future<RecordMetadata>", "RecordMetadata (blocks"};
    }

    private static Case reservedHeader(String folder, String headerName) {
        return Case.pinned(Message.RESERVED_HEADER_NAME, "reserved-header-name/" + folder,
                "@Header(\"" + headerName + "\")", "\"").saying("header \"" + headerName + "\"");
    }

    /** A compilation, and the sources the processor created in it, which a failed one does not show. */
    record Compiled(Compilation compilation, List<String> createdSources) {

        /** The simple names of the classes the processor generated. */
        List<String> generatedClasses() {
            return createdSources.stream().map(name -> name.substring(name.lastIndexOf('.') + 1)).toList();
        }
    }

    /**
     * One way to get {@code message}: compile {@code bad/<folder>} with {@code options} and a
     * processor that runs {@code hook} before each interface, then find the error on the line of
     * {@code file} that contains {@code line}, at the column where {@code at} first occurs in that
     * line. An error about the compilation as a whole has no line.
     */
    record Case(Message message, String folder, String file, String line, String at, List<String> options,
            Consumer<TypeElement> hook, List<String> texts, List<String> withoutJars) {

        static Case pinned(Message message, String folder, String line, String at) {
            return new Case(message, folder, null, line, at, List.of(), type -> { }, List.of(), List.of());
        }

        static Case unpinned(Message message, String folder, String... options) {
            return new Case(message, folder, null, null, null, List.of(options), type -> { }, List.of(), List.of());
        }

        Case inFile(String name) {
            return new Case(message, folder, name, line, at, options, hook, texts, withoutJars);
        }

        Case withHook(Consumer<TypeElement> beforeEachInterface) {
            return new Case(message, folder, file, line, at, options, beforeEachInterface, texts, withoutJars);
        }

        Case withOptions(String... more) {
            return new Case(message, folder, file, line, at, List.of(more), hook, texts, withoutJars);
        }

        /** Compiles with the test class path less the jars whose file names start with one of {@code prefixes}. */
        Case withoutJars(String... prefixes) {
            return new Case(message, folder, file, line, at, options, hook, texts, List.of(prefixes));
        }

        /** The error's text must also contain each of {@code more}. */
        Case saying(String... more) {
            List<String> all = new ArrayList<>(texts);
            all.addAll(Arrays.asList(more));
            return new Case(message, folder, file, line, at, options, hook, List.copyOf(all), withoutJars);
        }

        String bracketedId() {
            return "[" + message.id() + "]";
        }

        List<JavaFileObject> inputs() {
            return Sources.inputs("bad", folder);
        }

        Compiled compile() {
            RecordingProcessor processor = new RecordingProcessor(new TracewireProcessor(hook));
            Compiler compiler = Compiler.javac().withProcessors(processor).withOptions(options);
            if (!withoutJars.isEmpty()) {
                compiler = compiler.withClasspath(classPathWithout(withoutJars));
            }
            Compilation compilation = compiler.compile(inputs());
            return new Compiled(compilation, processor.createdSources());
        }

        private static List<File> classPathWithout(List<String> prefixes) {
            return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .map(File::new)
                    .filter(entry -> prefixes.stream().noneMatch(entry.getName()::startsWith))
                    .toList();
        }

        /** The input the error must be in: {@code file}, or the folder's only one. */
        JavaFileObject pinnedFile() {
            List<JavaFileObject> candidates = inputs().stream()
                    .filter(input -> file == null || input.getName().endsWith("/" + file))
                    .toList();
            assertThat(candidates).as("inputs of %s named %s", folder, file).hasSize(1);
            return candidates.get(0);
        }

        /** The top-level type of the pinned file, whose generated classes must not exist. */
        String brokenType() {
            String name = pinnedFile().getName();
            return name.substring(name.lastIndexOf('/') + 1).replace(".java", "");
        }

        long lineNumber() {
            List<String> lines = lines();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(line)) {
                    return i + 1;
                }
            }
            throw new AssertionError("no line of " + folder + " contains " + line);
        }

        long column() {
            String text = lines().get((int) lineNumber() - 1);
            assertThat(text).as("line %s of %s", lineNumber(), folder).contains(at);
            return text.indexOf(at) + 1;
        }

        private List<String> lines() {
            try {
                return pinnedFile().getCharContent(true).toString().lines().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return message.id() + " (" + folder + ")";
        }
    }
}
