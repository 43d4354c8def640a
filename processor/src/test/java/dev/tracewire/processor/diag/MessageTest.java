package dev.tracewire.processor.diag;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MessageTest {

    @Test
    void idsAreUnique() {
        Set<String> ids = Arrays.stream(Message.values()).map(Message::id).collect(Collectors.toSet());

        assertThat(ids).hasSameSizeAs(Message.values());
    }

    @ParameterizedTest
    @EnumSource(Message.class)
    void idIsOneSearchableWord(Message message) {
        assertThat(message.id()).matches("Tracewire[A-Z][A-Za-z]+");
    }

    @ParameterizedTest
    @EnumSource(Message.class)
    void formattedTextStartsWithTheBracketedId(Message message) {
        String text = message.format("first", "second", "third", "fourth", "fifth");

        assertThat(text).startsWith("[" + message.id() + "] ");
        assertThat(text).doesNotContain("%");
    }
}
