package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deliver and replay for capability addresses: the note, the counts once per queue id, leaks, refusals. */
class CapabilityDeliverTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private static final String MESSAGE = "From: News <news@shop.example>\nSubject: offers\n\nbody line\n";

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        writeConfig("DATABASE=caps.db");
        assertEquals(0, run("", "init").status());
    }

    private void writeConfig(String database) throws IOException {
        Path sendmail = dir.resolve("sendmail.sh");
        Files.writeString(sendmail, "#!/bin/sh\nprintf '%s\\n' \"$@\" > " + dir.resolve("args") + "\ncat > "
                + dir.resolve("sent") + "\n");
        Files.setPosixFilePermissions(sendmail, PosixFilePermissions.fromString("rwx------"));
        config = dir.resolve("tempmail.cf");
        Files.writeString(config, "SHARED_SECRET=s3cret-s3cret-s3cret\nDOMAIN=temp.example.org\n"
                + "MAILDROP=owner@example.org\nTIMEZONE=UTC\nSENDMAIL=" + sendmail + "\n" + database + "\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
    }

    private ToolRun run(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return ToolRun.of(all.toArray(String[]::new), stdin.getBytes(UTF_8), Map.of(), NOW);
    }

    private ToolRun deliver(String sender, String recipient, String queueId) throws IOException {
        Files.deleteIfExists(dir.resolve("sent"));
        return run(MESSAGE, "deliver", "--sender", sender, "--recipient", recipient, "--queue-id", queueId);
    }

    private String sent() throws IOException {
        return Files.readString(dir.resolve("sent"), UTF_8);
    }

    private String shown(String address) {
        return run("", "cap", "show", address).out();
    }

    @Test
    void aCapabilityAddressGetsItsNoteAndIsCountedOncePerQueueId() throws Exception {
        run("", "cap", "create", "--note", "Bäckerei Müller", "--local-part", "baker1");
        ToolRun first = deliver("news@shop.example", "baker1@temp.example.org", "4AbCd1");
        assertEquals(0, first.status(), first.toString());
        assertEquals("X-Tempmail-To: baker1@temp.example.org\n"
                + "X-Tempmail-Note: =?UTF-8?Q?B=C3=A4ckerei_M=C3=BCller?=\n" + MESSAGE, sent(),
                "no X-Tempmail-Expires for an address that does not expire, no leak for the first sender");
        assertEquals("-G\n-i\n-f\nnews@shop.example\n--\nowner@example.org\n",
                Files.readString(dir.resolve("args")));

        assertEquals(0, deliver("news@shop.example", "baker1@temp.example.org", "4AbCd1").status());
        String afterRetry = shown("baker1");
        assertTrue(afterRetry.contains("messages:     1\n"), "a retried queue id is not counted again:\n"
                + afterRetry);
        assertTrue(afterRetry.contains("first sender: news@shop.example\n"), afterRetry);
        assertTrue(afterRetry.contains("first seen:   2026-11-22 10:00\n"), afterRetry);

        assertEquals(0, deliver("billing@SHOP.example", "baker1@temp.example.org", "4AbCd2").status());
        assertFalse(sent().contains("X-Tempmail-Leak"), "same domain, no leak");
        assertEquals(0, deliver("offers@spammer.example", "baker1@temp.example.org", "4AbCd3").status());
        assertTrue(sent().startsWith("X-Tempmail-To: baker1@temp.example.org\nX-Tempmail-Note: "
                + "=?UTF-8?Q?B=C3=A4ckerei_M=C3=BCller?=\nX-Tempmail-Leak: first used by shop.example\n"), sent());
        assertTrue(shown("baker1").contains("messages:     3\n"));
    }

    @Test
    void theTargetAndTheExpiryOfACapabilityAddressAreHonoured() throws Exception {
        run("", "cap", "create", "--note", "fair", "--local-part", "fair1", "--target", "events@example.net",
                "--expires", "2026-11-30");
        assertEquals(0, deliver("", "fair1@temp.example.org", "Q1").status());
        assertTrue(Files.readString(dir.resolve("args")).endsWith("--\nevents@example.net\n"));
        assertTrue(sent().startsWith("X-Tempmail-To: fair1@temp.example.org\n"
                + "X-Tempmail-Expires: Tue, 1 Dec 2026 00:00:00 +0000\nX-Tempmail-Note: fair\n"), sent());
        assertTrue(shown("fair1").contains("first sender: -\n"), "the null sender is nobody's first sender");
        ToolRun expired = run(MESSAGE, "replay", "--at", "2026-12-01T00:00", "--recipient", "fair1@temp.example.org",
                "--sender", "a@b.example");
        assertEquals(67, expired.status(), expired.toString());
        assertTrue(shown("fair1").contains("messages:     1\n"));
    }

    @Test
    void aDisabledAddressBouncesWith511() throws Exception {
        run("", "cap", "create", "--note", "sold", "--local-part", "sold1");
        run("", "cap", "disable", "sold1");
        ToolRun result = deliver("spam@spammer.example", "sold1@temp.example.org", "Q2");
        assertEquals(67, result.status(), result.toString());
        assertTrue(result.out().startsWith("5.1.1 <sold1@temp.example.org>: "), result.out());
        assertFalse(Files.exists(dir.resolve("sent")));
        assertTrue(shown("sold1").contains("messages:     0\n"));
    }

    @Test
    void aReplayDryRunCountsNothing() throws Exception {
        run("", "cap", "create", "--note", "shop", "--local-part", "shop1");
        ToolRun dry = run(MESSAGE, "replay", "--dry-run", "--recipient", "shop1@temp.example.org", "--sender",
                "news@shop.example");
        assertEquals(0, dry.status(), dry.toString());
        assertTrue(dry.out().contains("X-Tempmail-Note: shop"), dry.out());
        assertTrue(shown("shop1").contains("messages:     0\n"));

        run("", "cap", "create", "--note", "family", "--local-part", "family1", "--target", "family@example.net");
        ToolRun targeted = run(MESSAGE, "replay", "--dry-run", "--recipient", "family1@temp.example.org", "--sender",
                "aunt@example.com");
        assertEquals(0, targeted.status(), targeted.toString());
        assertTrue(targeted.err().endsWith("would go from <aunt@example.com> to <family@example.net>\n"),
                targeted.err());
    }

    @Test
    void anUnreachableDatabaseDefersWithExit75() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        writeConfig("DATABASE=jdbc:postgresql://127.0.0.1:" + closedPort + "/tempmail?user=tempmail");
        ToolRun result = deliver("a@b.example", "cap1@temp.example.org", "Q3");
        assertEquals(75, result.status(), result.toString());
        assertTrue(result.out().startsWith("4.3.0 "), result.out());
        assertTrue(result.out().contains("capability addresses"), result.out());
    }
}
