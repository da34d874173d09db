package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCommandTest {
    private static final String SECRET = "s3cret-s3cret-s3cret";

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("tempmail.cf");
        Files.writeString(config, "SHARED_SECRET=" + SECRET + "\nDOMAIN=temp.example.org\nMAILDROP=owner@example.org\n"
                + "SCHEME=md5\nLENGTH=10\nVALID_DAYS=3\nTIMEZONE=America/Los_Angeles\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void writesThePageForTheConfiguredAddressesWithoutTheSecret() throws IOException {
        Path output = dir.resolve("page.html");
        ToolRun run = run("page", "--output", output.toString());
        assertEquals(0, run.status(), run.err());
        String page = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(page.contains("{\"domain\": \"temp.example.org\", \"scheme\": \"md5\", \"length\": 10, "
                + "\"validDays\": 3, \"timeZone\": \"America/Los_Angeles\"}"), page);
        assertFalse(page.contains(SECRET));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(output)),
                "no secret in it: others may read it, e.g. a web server");
        assertTrue(run.err().contains("wrote " + output), run.err());
        assertEquals("", run.out());
        assertEquals(List.of("page.html", "tempmail.cf"), Files.list(dir).map(p -> p.getFileName().toString())
                .sorted().toList(), "no temporary file left behind");
    }

    @Test
    void anOwnerInTheDatabaseGetsAPageOfItsOwn() throws IOException {
        Files.writeString(config, "DATABASE=owners.db\n", StandardOpenOption.APPEND);
        assertEquals(0, run("init").status());
        ToolRun added = run("owner", "add", "shop", "--maildrop", "orders@example.com", "--domain",
                "temp.example.com", "--valid-days", "7");
        assertEquals(0, added.status(), added.err());
        String ownersSecret = added.out().lines().findFirst().orElseThrow();
        ToolRun run = run("page", "--owner", "shop");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("{\"domain\": \"temp.example.com\", \"scheme\": \"hmac-sha256\", "
                + "\"length\": 10, \"validDays\": 7, \"timeZone\": \"America/Los_Angeles\"}"), run.out());
        assertFalse(run.out().contains(ownersSecret));
        ToolRun unknown = run("page", "--owner", "nobody");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("tempmail page: "), unknown.err());
    }

    @Test
    void withoutOutputThePageGoesToStandardOutput() {
        ToolRun run = run("page");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("<!DOCTYPE html>"), run.out());
    }

    @Test
    void aDirectoryThatIsNotThereIsNamed() {
        Path output = dir.resolve("missing").resolve("page.html");
        ToolRun run = run("page", "--output", output.toString());
        assertEquals(2, run.status());
        assertEquals("tempmail page: cannot write " + output + ": no such directory", run.err().strip());
    }

    @Test
    void helpExplainsWhatThePageHolds() {
        ToolRun run = run("page", "--help");
        assertEquals(0, run.status());
        assertTrue(run.out().contains("--output <FILE>"), run.out());
        assertTrue(run.out().contains("never holds the secret"), run.out());
    }

    private ToolRun run(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return ToolRun.of(all.toArray(String[]::new), new byte[0], Map.of(), Clock.systemUTC());
    }
}
