package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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
import org.tempmail.cli.command.Command;

class MainTest {
    /** 2026-11-22 12:00 in Berlin. */
    private static final Clock NOON = Clock.fixed(Instant.parse("2026-11-22T11:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path config;

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

    private ToolRun run(Map<String, String> env, String... args) {
        return ToolRun.of(args, new byte[0], env, NOON);
    }

    private ToolRun run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void withoutACommandItPrintsTheValidAddressesNewestFirstLikePostfixTempmail() {
        // printf %s 20261122s3cret-s3cret-s3cret | md5sum → c011653e…, 20261121… → 161f9482…, 20261123… → 398a5c26…
        ToolRun run = run("--config", config.toString());
        assertEquals(new ToolRun(0, "c011653e@temp.example.org\n161f9482@temp.example.org\n", ""), run);
        assertEquals(run, run("--config", config.toString(), "addresses"));
        assertEquals(run, run(Map.of("TEMPMAIL_CONFIG", config.toString())));
    }

    @Test
    void addressesAtAnotherTime() {
        ToolRun run = run("--config", config.toString(), "addresses", "--at", "2026-11-23T00:30");
        assertEquals("398a5c26@temp.example.org\nc011653e@temp.example.org\n", run.out());
    }

    @Test
    void checkSaysValidUntilAndExitsZero() {
        ToolRun run = run("--config", config.toString(), "check", "C011653E@temp.example.org");
        assertEquals(new ToolRun(0, "C011653E@temp.example.org: valid until 2026-11-24 00:00:00 +01:00, "
                + "delivered to owner@example.org\n", ""), run);
    }

    @Test
    void checkSaysExpiredSinceAndExitsOne() {
        ToolRun run = run("check", "--config", config.toString(), "c011653e@temp.example.org", "--at", "2026-11-24");
        assertEquals(new ToolRun(1, "c011653e@temp.example.org: expired since 2026-11-24 00:00:00 +01:00\n", ""), run);
    }

    @Test
    void checkSaysUnknownAndExitsOne() {
        assertEquals(new ToolRun(1, "nobody@temp.example.org: unknown\n", ""),
                run("--config", config.toString(), "check", "nobody@temp.example.org"));
    }

    @Test
    void checkAnswersAtAnInstantWithAnOffset() {
        ToolRun justBefore = run("--config", config.toString(), "check", "c011653e@temp.example.org",
                "--at", "2026-11-23T22:59:59Z");
        ToolRun justAfter = run("--config", config.toString(), "check", "c011653e@temp.example.org",
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
    void aMistypedMasterCfEntryForDeliverDefersInsteadOfBouncing() {
        ToolRun run = run("--confg", config.toString(), "deliver", "--sender=a@b", "--recipient=x@temp.example.org");
        assertEquals(75, run.status(), "pipe(8) bounces on 2, defers on 75");
        assertEquals("4.3.5 tempmail: unknown option \"--confg\" (see tempmail --help)\n", run.out());
    }

    @Test
    void configurationErrorsAreOneLineWithoutStackTraceAndExitTwo() throws IOException {
        Files.writeString(config,
                "SHARED_SECRET=s3cret-s3cret-s3cret\nDOMAIN=temp.example.org\nMAILDROP=o@example.org\nLENGTH=x\n");
        assertUsageError(run("--config", config.toString()), "tempmail addresses: " + config
                + ":4: LENGTH: not a number (expected 8..64 for SCHEME hmac-sha256)\n");
    }

    @Test
    void warningsGoToStderrAndTheAnswerStillComes() throws IOException {
        Files.writeString(config, "COLOUR=blue\n", java.nio.file.StandardOpenOption.APPEND);
        ToolRun run = run("--config", config.toString());
        assertEquals(0, run.status());
        assertEquals("tempmail: warning: " + config + ":6: COLOUR: unknown key, ignored\n", run.err());
    }

    @Test
    void helpForTheToolAndEveryCommand() {
        ToolRun tool = run("--help");
        assertEquals(0, tool.status());
        assertTrue(tool.out().contains("addresses") && tool.out().contains("check"), tool.out());
        for (Command command : Commands.all()) {
            ToolRun help = run(command.name(), "--help");
            assertEquals(0, help.status(), command.name());
            assertTrue(help.out().contains("tempmail [--config FILE] " + command.name()), help.out());
            assertTrue(help.out().contains("--config"), help.out());
        }
    }

    private static void assertUsageError(ToolRun run, String expectedErr) {
        assertEquals(2, run.status());
        assertEquals("", run.out());
        assertEquals(expectedErr, run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace");
    }
}
