package dev.tracewire.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two shapes of payload-carried context, taken out and put in: every byte of the business
 * payload that is not the context field reaches the decoder as the peer wrote it; whatever the
 * field holds it is taken out; payloads that do not carry it pass unchanged.
 */
class PayloadCarrierTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static final PayloadCarrier FIELD = PayloadCarrier.field("trace_context");
    private static final PayloadCarrier ENVELOPE = PayloadCarrier.envelope();

    @Test
    void aFieldIsTakenOutAndEveryOtherByteStaysAsItWas() {
        String payload = "{ \"amount\": 12345678901234567890.1230, \"trace_context\" : {\"traceparent\":\""
                + TRACEPARENT + "\", \"tracestate\": \"a=1\"},\n  \"note\":\"caf\u00e9 \\u00e9 \\\"q\\\"\", \"n\": [1, 2.50]}";

        PayloadCarrier.Extracted extracted = FIELD.extract(bytes(payload)).orElseThrow();

        assertThat(text(extracted.payload()))
                .isEqualTo("{\"amount\": 12345678901234567890.1230,\"note\":\"caf\u00e9 \\u00e9 \\\"q\\\"\",\"n\": [1, 2.50]}");
        assertThat(extracted.context()).contains(Map.of("traceparent", TRACEPARENT, "tracestate", "a=1"));
    }

    @Test
    void theFieldIsTakenOutWhereverItStandsAndOnlyAtTheTopLevel() {
        assertThat(text(FIELD.extract(bytes("{\"trace_context\":{},\"a\":1}")).orElseThrow().payload()))
                .isEqualTo("{\"a\":1}");
        assertThat(text(FIELD.extract(bytes("{\"a\":1 , \"trace_context\":{} }")).orElseThrow().payload()))
                .isEqualTo("{\"a\":1}");
        assertThat(text(FIELD.extract(bytes("{\"trace_context\":{}}")).orElseThrow().payload())).isEqualTo("{}");
        assertThat(text(FIELD.extract(bytes("{\"a\":1,\"trace_context\":{\"x\":\"1\"},\"trace_context\":{\"y\":\"2\"}}"))
                .orElseThrow().payload())).as("every occurrence").isEqualTo("{\"a\":1}");
        assertThat(FIELD.extract(bytes("{\"a\":{\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"}}}")))
                .as("a nested field belongs to the business payload").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"" + TRACEPARENT + "\"", "42", "null", "true", "[\"" + TRACEPARENT + "\"]",
        "{\"traceparent\":7,\"tracestate\":{\"a\":\"b\"},\"baggage\":[1]}", "{}"})
    void aFieldHoldingNoStringsIsTakenOutWithNoContext(String field) {
        PayloadCarrier.Extracted extracted = FIELD.extract(bytes("{\"id\":\"o-1\",\"trace_context\":" + field + "}"))
                .orElseThrow();

        assertThat(text(extracted.payload())).isEqualTo("{\"id\":\"o-1\"}");
        assertThat(extracted.context()).contains(Map.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "not json \"trace_context\"", "[{\"trace_context\":{}}]",
        "\"trace_context\"", "{\"trace_context\":{}", "{\"trace_context\":{}} trailing", "{\"trace_context\":{}} {}",
        "{\"a\":1}", "{\"trace_context\" {}}"})
    void otherPayloadsAreLeftAlone(String payload) {
        assertThat(FIELD.extract(bytes(payload))).isEmpty();
        assertThat(ENVELOPE.extract(bytes(payload))).isEmpty();
    }

    @Test
    void anEnvelopesDataIsThePayloadWithOrWithoutAContext() {
        PayloadCarrier.Extracted enveloped = ENVELOPE.extract(bytes(
                "{\"data\": {\"id\": \"o-1\", \"amount\": 2.50} , \"trace_context\": {\"traceparent\": \"" + TRACEPARENT
                        + "\"}}")).orElseThrow();
        PayloadCarrier.Extracted contextFirst = ENVELOPE.extract(bytes(
                "{\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"},\"data\":[1,2]}")).orElseThrow();
        PayloadCarrier.Extracted withoutContext = ENVELOPE.extract(bytes("{\"data\":\"text\"}")).orElseThrow();
        PayloadCarrier.Extracted malformed = ENVELOPE.extract(bytes("{\"data\":{\"a\":1},\"trace_context\":\"x\"}"))
                .orElseThrow();

        assertThat(text(enveloped.payload())).isEqualTo("{\"id\": \"o-1\", \"amount\": 2.50}");
        assertThat(enveloped.context()).contains(Map.of("traceparent", TRACEPARENT));
        assertThat(text(contextFirst.payload())).isEqualTo("[1,2]");
        assertThat(text(withoutContext.payload())).isEqualTo("\"text\"");
        assertThat(withoutContext.context()).isEmpty();
        assertThat(text(malformed.payload())).isEqualTo("{\"a\":1}");
        assertThat(malformed.context()).contains(Map.of());
    }

    @Test
    void anObjectWithMoreThanTheEnvelopesFieldsIsReadAsAFlatPayload() {
        PayloadCarrier.Extracted flat = ENVELOPE.extract(bytes(
                "{\"data\":{\"a\":1},\"extra\":true,\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"}}"))
                .orElseThrow();

        assertThat(text(flat.payload())).isEqualTo("{\"data\":{\"a\":1},\"extra\":true}");
        assertThat(flat.context()).contains(Map.of("traceparent", TRACEPARENT));
        assertThat(ENVELOPE.extract(bytes("{\"data\":{\"a\":1},\"extra\":true}"))).isEmpty();
    }

    @Test
    void embeddingAFieldReplacesOneThePayloadHadAndLeavesOtherPayloadsAlone() throws Exception {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("traceparent", TRACEPARENT);
        context.put("tracestate", "a=\"1\"");

        assertThat(text(FIELD.embed(bytes("{\"id\":\"o-1\",\"n\":1.10}"), context))).isEqualTo(
                "{\"id\":\"o-1\",\"n\":1.10,\"trace_context\":{\"traceparent\":\"" + TRACEPARENT
                        + "\",\"tracestate\":\"a=\\\"1\\\"\"}}");
        assertThat(text(FIELD.embed(bytes("{}"), context))).startsWith("{\"trace_context\":{");
        JsonNode replaced = JSON.readTree(FIELD.embed(bytes("{\"trace_context\":\"old\",\"id\":\"o-1\"}"), context));
        assertThat(replaced.get("trace_context").get("traceparent").asText()).isEqualTo(TRACEPARENT);
        assertThat(replaced.size()).isEqualTo(2);
        for (String other : List.of("not json", "[1,2]", "\"a string\"", "{\"a\":1} {}", "")) {
            assertThat(text(FIELD.embed(bytes(other), context))).isEqualTo(other);
        }
        assertThat(text(FIELD.embed(bytes("{\"a\":1}"), Map.of()))).isEqualTo("{\"a\":1}");
    }

    @Test
    void embeddingAnEnvelopeWrapsAnyJsonValue() {
        Map<String, String> context = Map.of("traceparent", TRACEPARENT);

        assertThat(text(ENVELOPE.embed(bytes("{\"id\":\"o-1\"}"), context)))
                .isEqualTo("{\"data\":{\"id\":\"o-1\"},\"trace_context\":{\"traceparent\":\"" + TRACEPARENT + "\"}}");
        assertThat(text(ENVELOPE.embed(bytes("[1, 2]"), context))).startsWith("{\"data\":[1, 2],");
        assertThat(text(ENVELOPE.embed(bytes("not json"), context))).isEqualTo("not json");
        assertThat(text(PayloadCarrier.envelope("body", "ctx").embed(bytes("7"), context)))
                .isEqualTo("{\"body\":7,\"ctx\":{\"traceparent\":\"" + TRACEPARENT + "\"}}");
    }

    /** Embedding then extracting gives back the payload and the context, for random JSON payloads. */
    @Test
    void whatIsEmbeddedIsExtractedAgain() {
        long seed = System.nanoTime();
        System.out.println("PayloadCarrierTest seed " + seed);
        Random random = new Random(seed);
        Map<String, String> context = Map.of("traceparent", TRACEPARENT, "baggage", "k=v");
        for (int i = 0; i < 500; i++) {
            String object = randomObject(random, 0);
            for (PayloadCarrier carrier : List.of(FIELD, ENVELOPE, PayloadCarrier.field("_otel_trace_headers"))) {
                Optional<PayloadCarrier.Extracted> extracted = carrier.extract(carrier.embed(bytes(object), context));

                assertThat(extracted).as("seed %d: %s", seed, object).isPresent();
                assertThat(extracted.get().context()).contains(context);
                assertThat(parse(extracted.get().payload())).as("seed %d: %s", seed, object).isEqualTo(parse(bytes(object)));
            }
        }
    }

    @Test
    void namesAreNotBlankAndAnEnvelopesFieldsDiffer() {
        assertThatThrownBy(() -> PayloadCarrier.field(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PayloadCarrier.envelope("data", "data")).isInstanceOf(IllegalArgumentException.class);
        assertThat(PayloadCarrier.envelope().embedOnPublish(true).embedsOnPublish()).isTrue();
        assertThat(PayloadCarrier.envelope().dataField()).contains("data");
        assertThat(PayloadCarrier.envelope().contextField()).isEqualTo("trace_context");
        assertThat(FIELD.dataField()).isEmpty();
    }

    private static String randomObject(Random random, int depth) {
        StringBuilder json = new StringBuilder("{");
        int members = random.nextInt(4);
        for (int i = 0; i < members; i++) {
            json.append(i == 0 ? "" : " ,").append("\"k").append(i).append("\" : ").append(randomValue(random, depth));
        }
        return json.append('}').toString();
    }

    private static String randomValue(Random random, int depth) {
        return switch (random.nextInt(depth < 2 ? 6 : 4)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> random.nextInt(100) + "." + random.nextInt(100) + "0";
            case 2 -> "\"s\\u00e9\\\"" + random.nextInt(10) + "\"";
            case 3 -> random.nextBoolean() ? "null" : "true";
            case 4 -> "[" + randomValue(random, depth + 1) + ", " + randomValue(random, depth + 1) + "]";
            default -> randomObject(random, depth + 1);
        };
    }

    private static JsonNode parse(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(new String(json, UTF_8), e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, UTF_8);
    }
}
