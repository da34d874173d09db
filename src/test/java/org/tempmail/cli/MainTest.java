package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** 2026-11-22 12:00 in Berlin. */
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-22T11:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path config;

    /** The outcome of one run of the tool. */
    record Run(int status, String out, String err) {
    }

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("tempmail.cf");
        Files.writeString(config, """
                SHARED_SECRET=s3cret-s3cret-s3cret
                DOMAIN=temp.example.org
                MAILDROP=owner@example.org
                SCHEME=md5
                TIMEZONE=Europe/Berlin
                """);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true), env, NOON);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void withoutACommandItPrintsTheValidAddressesNewestFirstLikePostfixTempmail() {
        // printf %s 20261122s3cret-s3cret-s3cret | md5sum → c011653e…, 20261121… → 161f9482…, 20261123… → 398a5c26…
        Run run = run("--config", config.toString());
        assertEquals(new Run(0, "c011653e@temp.example.org\n161f9482@temp.example.org\n", ""), run);
        assertEquals(run, run("--config", config.toString(), "addresses"));
        assertEquals(run, run(Map.of("TEMPMAIL_CONFIG", config.toString())));
    }

    @Test
    void addressesAtAnotherTime() {
        Run run = run("--config", config.toString(), "addresses", "--at", "2026-11-23T00:30");
        assertEquals("398a5c26@temp.example.org\nc011653e@temp.example.org\n", run.out());
    }

    @Test
    void checkSaysValidUntilAndExitsZero() {
        Run run = run("--config", config.toString(), "check", "C011653E@temp.example.org");
        assertEquals(new Run(0, "C011653E@temp.example.org: valid until 2026-11-24 00:00:00 +01:00, "
                + "delivered to owner@example.org\n", ""), run);
    }

    @Test
    void checkSaysExpiredSinceAndExitsOne() {
        Run run = run("check", "--config", config.toString(), "c011653e@temp.example.org", "--at", "2026-11-24");
        assertEquals(new Run(1, "c011653e@temp.example.org: expired since 2026-11-24 00:00:00 +01:00\n", ""), run);
    }

    @Test
    void checkSaysUnknownAndExitsOne() {
        assertEquals(new Run(1, "nobody@temp.example.org: unknown\n", ""),
                run("--config", config.toString(), "check", "nobody@temp.example.org"));
    }

    @Test
    void checkAnswersAtAnInstantWithAnOffset() {
        Run justBefore = run("--config", config.toString(), "check", "c011653e@temp.example.org",
                "--at", "2026-11-23T22:59:59Z");
        Run justAfter = run("--config", config.toString(), "check", "c011653e@temp.example.org",
                "--at", "2026-11-24T00:00+01:00");
        assertEquals(0, justBefore.status());
        assertEquals(1, justAfter.status());
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        assertUsageError(run("--config", config.toString(), "check"),
                "tempmail check: missing ADDRESS (see tempmail check --help)\n");
        assertUsageError(run("--config", config.toString(), "frobnicate"),
                "tempmail: unknown command \"frobnicate\" (see tempmail --help)\n");
        assertUsageError(run("--config", config.toString(), "check", "a@b", "--at", "tomorrow"),
                "tempmail check: --at: \"tomorrow\" is not an ISO-8601 time (expected 2026-11-22, "
                        + "2026-11-22T23:59 or 2026-11-22T23:59+01:00) (see tempmail check --help)\n");
        assertUsageError(run("--config", config.toString(), "addresses", "--bogus"),
                "tempmail addresses: Unrecognized option: --bogus (see tempmail addresses --help)\n");
        assertUsageError(run("--conf", config.toString()),
                "tempmail: unknown option \"--conf\" (see tempmail --help)\n");
    }

    @Test
    void configurationErrorsAreOneLineWithoutStackTraceAndExitTwo() throws IOException {
        Files.writeString(config,
                "SHARED_SECRET=s3cret-s3cret-s3cret\nDOMAIN=temp.example.org\nMAILDROP=o@example.org\nLENGTH=x\n");
        assertUsageError(run("--config", config.toString()), "tempmail addresses: " + config
                + ":4: LENGTH: \"x\" is not a number (expected 8..64 for SCHEME hmac-sha256)\n");
    }

    @Test
    void warningsGoToStderrAndTheAnswerStillComes() throws IOException {
        Files.writeString(config, "COLOUR=blue\n", java.nio.file.StandardOpenOption.APPEND);
        Run run = run("--config", config.toString());
        assertEquals(0, run.status());
        assertEquals("tempmail: warning: " + config + ":6: COLOUR: unknown key, ignored\n", run.err());
    }

    @Test
    void helpForTheToolAndEveryCommand() {
        Run tool = run("--help");
        assertEquals(0, tool.status());
        assertTrue(tool.out().contains("addresses") && tool.out().contains("check"), tool.out());
        for (Command command : Commands.all()) {
            Run help = run(command.name(), "--help");
            assertEquals(0, help.status(), command.name());
            assertTrue(help.out().contains("tempmail [--config FILE] " + command.name()), help.out());
            assertTrue(help.out().contains("--config"), help.out());
        }
    }

    private static void assertUsageError(Run run, String expectedErr) {
        assertEquals(2, run.status());
        assertEquals("", run.out());
        assertEquals(expectedErr, run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }
}
