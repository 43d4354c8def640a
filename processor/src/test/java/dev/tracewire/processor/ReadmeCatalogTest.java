package dev.tracewire.processor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tracewire.processor.diag.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's table of compile errors lists every message of the catalog, and nothing else. */
class ReadmeCatalogTest {

    private static final String SECTION = "## Compile errors you may see";
    private static final Pattern ROW = Pattern.compile("^\\| `\\[(\\w+)]` \\|([^|]+)\\|([^|]+)\\|$");

    @Test
    void theReadmeTableListsEveryMessageId() throws IOException {
        List<String> rows = tableRows(Files.readString(Path.of("..", "README.md")));

        Set<String> documented = rows.stream().map(ReadmeCatalogTest::idOf).collect(Collectors.toSet());
        assertThat(documented).hasSameSizeAs(rows)
                .isEqualTo(Arrays.stream(Message.values()).map(Message::id).collect(Collectors.toSet()));
    }

    /** The rows of the section's table that name an ID, each checked to have three filled cells. */
    private static List<String> tableRows(String readme) {
        int start = readme.indexOf(SECTION);
        assertThat(start).as("README section " + SECTION).isNotNegative();
        int end = readme.indexOf("\n## ", start + SECTION.length());
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<String> rows = section.lines().filter(line -> line.startsWith("| `[")).toList();
        assertThat(rows).allSatisfy(row -> assertThat(row).matches(ROW));
        return rows;
    }

    private static String idOf(String row) {
        Matcher matcher = ROW.matcher(row);
        assertThat(matcher.matches()).isTrue();
        assertThat(matcher.group(2)).as(row).isNotBlank();
        assertThat(matcher.group(3)).as(row).isNotBlank();
        return matcher.group(1);
    }
}
