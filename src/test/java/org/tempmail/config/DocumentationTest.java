package org.tempmail.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's reference and the shipped example name every key with its real default. */
class DocumentationTest {
    @Test
    void theReadmeTableListsEveryKeyWithItsDefault() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (Key key : Key.values()) {
            String defaultCell = key.defaultValue() == null ? "" : "`" + key.defaultValue() + "`";
            String row = "| `" + key.name() + "` | " + defaultCell + " |";
            assertTrue(readme.contains(row), "README.md lacks the row starting " + row);
        }
    }

    @Test
    void theExampleConfigurationShowsEveryKey() throws IOException {
        String example = Files.readString(Path.of("tempmail.cf.example"));
        for (Key key : Key.values()) {
            assertTrue(Pattern.compile("(?m)^#?" + key.name() + "=").matcher(example).find(),
                    "tempmail.cf.example does not show " + key.name());
        }
    }
}
