package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.ConfigLoader;

/** deliver and replay as Postfix and a person run them, with a fake sendmail that records what it got. */
class DeliverCommandTest {
    static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dir;
    Path config;
    String address;

    @BeforeEach
    void setUp() throws Exception {
        config = dir.resolve("tempmail.cf");
        writeConfig("SENDMAIL=" + sendmail("printf '%s\\n' \"$@\" > " + dir.resolve("args") + "\ncat > "
                + dir.resolve("sent")));
        address = DatedAddressResolver.from(ConfigLoader.load(config).addresses())
                .addressOf(LocalDate.of(2026, 11, 22));
    }

    @Test
    void deliversQuietlyAndExitsZero() throws Exception {
        ToolRun result = run(message(), "--config", config.toString(), "deliver", "--sender", "", "--recipient", address,
                "--queue-id", "4AbCd1234");
        assertEquals(0, result.status(), result.out() + result.err());
        assertEquals("", result.out() + result.err());
        assertEquals("-G\n-i\n-f\n\n--\nowner@example.org\n", Files.readString(dir.resolve("args")));
        assertEquals("X-Tempmail-To: " + address + "\nX-Tempmail-Expires: Tue, 24 Nov 2026 00:00:00 +0000\n"
                + new String(message(), ISO_8859_1), Files.readString(dir.resolve("sent"), ISO_8859_1));
    }

    @Test
    void unknownAddressExits67WithA511Line() throws Exception {
        ToolRun result = run(message(), "--config", config.toString(), "deliver", "--sender", "a@b", "--recipient",
                "nobody@temp.example.org", "--original-recipient", "alias@example.org");
        assertEquals(67, result.status());
        assertEquals("5.1.1 <nobody@temp.example.org>: no such temporary address "
                + "(original recipient <alias@example.org>)\n", result.out());
        assertFalse(Files.exists(dir.resolve("sent")));
    }

    @Test
    void usageAndConfigurationErrorsDeferWithA435LineOnStdout() throws Exception {
        ToolRun missingOption = run(message(), "--config", config.toString(), "deliver", "--recipient", address);
        assertEquals(75, missingOption.status());
        assertTrue(missingOption.out().startsWith("4.3.5 tempmail deliver: Missing required option: sender"),
                missingOption.out());

        ToolRun noConfig = run(message(), "--config", dir.resolve("missing.cf").toString(), "deliver", "--sender",
                "a@b", "--recipient", address);
        assertEquals(75, noConfig.status());
        assertEquals("4.3.5 tempmail deliver: cannot read its configuration\n", noConfig.out(), "no path");
        assertTrue(noConfig.err().contains("missing.cf: cannot read the configuration: no such file"),
                noConfig.err());

        writeConfig("SENDMAIL_TIMEOUT=soon");
        ToolRun badKey = run(message(), "--config", config.toString(), "deliver", "--sender", "a@b", "--recipient",
                address);
        assertEquals(75, badKey.status());
        assertEquals("4.3.5 tempmail deliver: configuration error (line 6, key SENDMAIL_TIMEOUT)\n", badKey.out());
        assertTrue(badKey.err().contains(config + ":6: SENDMAIL_TIMEOUT: not a number"), badKey.err());
    }

    @Test
    void failingSendmailDefersWithA430Line() throws Exception {
        writeConfig("SENDMAIL=" + sendmail("cat >/dev/null; echo 'postdrop: warning: unable to look up' >&2; exit 1"));
        ToolRun result = run(message(), "--config", config.toString(), "deliver", "--sender", "a@b", "--recipient",
                address);
        assertEquals(75, result.status());
        assertEquals("4.3.0 sendmail failed with status 1\n", result.out());
        assertTrue(result.err().endsWith(" failed with status 1: postdrop: warning: unable to look up\n"),
                result.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "exec sleep 30", "cat >/dev/null; exit 75", "cat >/dev/null; exit 1",
            "cat >/dev/null; kill -TERM $$"})
    void everySendmailFailureExits75WithA430Line(String script) throws Exception {
        String sendmail = script.equals("missing") ? dir.resolve("no-sendmail").toString() : sendmail(script).toString();
        writeConfig("SENDMAIL=" + sendmail + "\nSENDMAIL_TIMEOUT=1");
        ToolRun result = run(message(), "--config", config.toString(), "deliver", "--sender", "a@b", "--recipient",
                address);
        assertEquals(75, result.status(), result.out());
        assertTrue(result.out().startsWith("4.3.0 ") && !result.out().contains(sendmail), result.out());
        assertTrue(result.err().contains(sendmail), "the administrator's detail: " + result.err());
    }

    @Test
    void replayDryRunDropsTheMboxLineFindsTheRecipientAndSendsNothing() throws Exception {
        Path saved = dir.resolve("saved.eml");
        String body = "Return-Path: <alice@example.net>\nDelivered-To: " + address + "\nSubject: hi\n\nbody\n";
        Files.writeString(saved, "From alice@example.net  Sun Nov 22 09:00:00 2026\n" + body);
        ToolRun result = run(new byte[0], "--config", config.toString(), "replay", "--dry-run", saved.toString());
        assertEquals(0, result.status(), result.err());
        assertEquals("X-Tempmail-To: " + address + "\nX-Tempmail-Expires: Tue, 24 Nov 2026 00:00:00 +0000\n" + body,
                result.out());
        assertEquals("tempmail replay: dry run, nothing sent: the message above for <" + address + "> would go from "
                + "<alice@example.net> to <owner@example.org>\n", result.err());
        assertFalse(Files.exists(dir.resolve("sent")));
    }

    @Test
    void replayResubmitsWithTheReturnPathAsSender() throws Exception {
        String message = "Return-Path: <>\nX-Original-To: " + address.toUpperCase() + "\nSubject: hi\n\nbody\n";
        ToolRun result = run(message.getBytes(UTF_8), "--config", config.toString(), "replay", "-");
        assertEquals(0, result.status(), result.err());
        assertEquals("-G\n-i\n-f\n\n--\nowner@example.org\n", Files.readString(dir.resolve("args")));
        assertTrue(result.out().startsWith("tempmail replay: <" + address.toUpperCase() + "> resubmitted to "
                + "<owner@example.org>"), result.out());
    }

    @Test
    void replayExplainsRefusalsToAPerson() throws Exception {
        String expired = "Delivered-To: " + address + "\nSubject: hi\n\nbody\n";
        ToolRun late = run(expired.getBytes(UTF_8), "--config", config.toString(), "replay", "--sender", "a@b",
                "--at", "2026-12-01");
        assertEquals(67, late.status());
        assertTrue(late.err().startsWith("tempmail replay: not delivered, Postfix would bounce it (exit 67, 5.1.1): <"
                + address + ">: temporary address expired on Tue, 24 Nov 2026"), late.err());

        ToolRun noRecipient = run("Subject: hi\n\nbody\n".getBytes(UTF_8), "--config", config.toString(), "replay");
        assertEquals(2, noRecipient.status(), "a usage error, told to a person");
        assertTrue(noRecipient.err().contains("no Delivered-To or X-Original-To field in the message: give --recipient"),
                noRecipient.err());

        ToolRun missing = run(new byte[0], "--config", config.toString(), "replay", dir.resolve("nowhere.eml").toString());
        assertEquals(2, missing.status(), missing.toString());
        assertEquals("", missing.out());
        assertTrue(missing.err().startsWith("tempmail replay: " + dir.resolve("nowhere.eml") + ": no such file"),
                missing.err());
    }

    /**
     * Issue 10, item 5: a copy from the MAILDROP's mailbox, delivered by tempmail and stamped by local delivery,
     * named the MAILDROP "no such temporary address" (5.1.1) instead of the loop the README promises.
     */
    @Test
    void replayOfACopyFromTheMaildropsMailboxIsALoop() throws Exception {
        ToolRun first = run(message(), "--config", config.toString(), "deliver", "--sender", "alice@example.net",
                "--recipient", address);
        assertEquals(0, first.status(), first.out());
        String delivered = Files.readString(dir.resolve("sent"), ISO_8859_1);
        Files.delete(dir.resolve("sent"));
        Path mailbox = dir.resolve("mailbox-copy.eml");
        // What virtual(8) or local(8) put on top when it wrote the resubmitted message into the mailbox.
        Files.writeString(mailbox, "Return-Path: <alice@example.net>\nX-Original-To: owner@example.org\n"
                + "Delivered-To: owner@example.org\nReceived: by mx.example.org (Postfix, from userid 65534)\n"
                + "\tid 5B2C3D4E5F; Sun, 22 Nov 2026 10:00:01 +0000 (UTC)\n" + delivered, ISO_8859_1);

        for (String dryRun : new String[] {"--dry-run", "--at=2026-11-22T10:00:00Z"}) {
            ToolRun replay = run(new byte[0], "--config", config.toString(), "replay", dryRun, mailbox.toString());
            assertEquals(65, replay.status(), replay.toString());
            assertEquals("tempmail replay: not delivered: it would loop, Postfix would bounce it (exit 65, 5.4.6): "
                    + "mail loop: the message was already delivered to <owner@example.org> for <" + address
                    + "> (X-Tempmail-To); replay the copy saved before delivery\n", replay.err());
            assertFalse(Files.exists(dir.resolve("sent")), "nothing sent");
        }
    }

    private void writeConfig(String extra) throws IOException {
        Files.writeString(config, "SHARED_SECRET=\"a test secret of some length\"\nDOMAIN=temp.example.org\n"
                + "MAILDROP=owner@example.org\nTIMEZONE=UTC\nSENDMAIL_TIMEOUT=5\n" + extra + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    private Path sendmail(String body) throws IOException {
        Path path = Files.createTempFile(dir, "sendmail", ".sh");
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    private static byte[] message() throws IOException {
        try (InputStream in = DeliverCommandTest.class.getResourceAsStream("/messages/plain.eml")) {
            return in.readAllBytes();
        }
    }

    private static ToolRun run(byte[] stdin, String... args) {
        return ToolRun.of(args, stdin, Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

}
