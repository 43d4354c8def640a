package dev.tracewire.runtime.nats.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

/**
 * Failure texts as NATS header values: jnats refuses line breaks and anything outside ASCII, which
 * exception messages often hold (a payload that is not UTF-8 decodes to U+FFFD, users write in
 * their language).
 */
class NatsDeadLetterPublisherTest {

    @Test
    void anExceptionMessageBecomesOneLineOfAsciiThatJnatsAccepts() {
        String message = "refused: bad-\ufffd\u0000\nÜberweisung für 3 €\r\nat line 2  ";

        String value = NatsDeadLetterPublisher.headerValue(message);

        assertThat(value).isEqualTo("refused: bad-\\ufffd\u0000 \\u00dcberweisung f\\u00fcr 3 \\u20ac at line 2");
        Headers headers = new Headers();
        headers.put(NatsDeadLetterPublisher.EXCEPTION_MESSAGE, value);
        assertThat(headers.getFirst(NatsDeadLetterPublisher.EXCEPTION_MESSAGE)).isEqualTo(value);
    }

    @Test
    void anEmptyTextIsADash() {
        assertThat(NatsDeadLetterPublisher.headerValue(" \r\n ")).isEqualTo("-");
    }
}
