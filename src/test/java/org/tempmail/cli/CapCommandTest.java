package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.Resolution;
import org.tempmail.config.ConfigLoader;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;
import org.tempmail.storage.LocalPartGenerator;

class CapCommandTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T11:00:00Z"), ZoneOffset.UTC);

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
                TIMEZONE=Europe/Berlin
                DATABASE=caps.db
                """);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        assertEquals(0, run("init").status());
    }

    private ToolRun run(Clock clock, String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return ToolRun.of(all.toArray(String[]::new), new byte[0], Map.of(), clock);
    }

    private ToolRun run(String... args) {
        return run(NOW, args);
    }

    private static void assertOneLineFailure(ToolRun run, String expected) {
        assertEquals(2, run.status(), run.toString());
        assertEquals("", run.out());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().contains(expected), run.err());
    }

    @Test
    void createPrintsARandomAddressWithoutLookAlikesAndStoresIt() {
        ToolRun created = run("cap", "create", "--note", "shop.example");
        assertEquals(0, created.status(), created.toString());
        String address = created.out().strip();
        assertTrue(address.matches("[" + LocalPartGenerator.ALPHABET + "]{20}@temp\\.example\\.org"), address);
        assertTrue(Files.exists(dir.resolve("caps.db")), "DATABASE is relative to tempmail.cf");
        assertEquals(0, run("check", address).status());
        assertTrue(run("cap", "list").out().contains(address));
        assertEquals(12 + 1 + 16, run("cap", "create", "--note", "x", "--short").out().strip().length());
        assertEquals(8 + 1 + 16, run("cap", "create", "--note", "x", "--veryshort").out().strip().length());
        assertEquals(40 + 1 + 16, run("cap", "create", "--note", "x", "--length", "40").out().strip().length());
    }

    @Test
    void aDryRunStoresNothing() {
        ToolRun dry = run("cap", "create", "--note", "just looking", "--local-part", "looking", "--dry-run");
        assertEquals(0, dry.status(), dry.toString());
        assertEquals("looking@temp.example.org\n", dry.out());
        assertEquals(1, run("check", "looking@temp.example.org").status());
        assertEquals(0, run("cap", "create", "--note", "now", "--local-part", "looking").status());
    }

    @Test
    void mistakesGetOneLineAndExitTwo() {
        assertEquals(0, run("cap", "create", "--note", "shop", "--local-part", "Shop").status());
        assertOneLineFailure(run("cap", "create", "--note", "again", "--local-part", "SHOP"), "already exists");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--expires", "2027-02-30"), "--expires");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--expires", "2026-11-21"), "in the past");
        assertOneLineFailure(run("cap", "create", "--local-part", "nonote"), "--note");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--local-part", "a b"), "--local-part");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--short", "--length", "9"), "only one");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--length", "5"),
                "--length: 5 is too short; give a number from 6 to 64");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--length", "99999999999"),
                "--length: 99999999999 is too long; give a number from 6 to 64");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--length", "ten"),
                "--length: \"ten\" is not a whole number; give a number from 6 to 64");
        assertOneLineFailure(run("cap", "create", "--note", "x", "--target", "me@Temp.Example.org"),
                "is in DOMAIN temp.example.org");
        assertOneLineFailure(run("cap", "show", "nobody@temp.example.org"), "no capability address nobody@");
        assertOneLineFailure(run("cap", "disable", "nobody"), "no capability address nobody@temp.example.org");
        assertOneLineFailure(run("cap", "enable", "nobody"), "no capability address");
        assertOneLineFailure(run("cap", "list", "--format", "xml"), "--format");
        assertOneLineFailure(run("cap", "frobnicate"), "unknown subcommand");
        assertOneLineFailure(run("cap", "import-mailcap", dir.resolve("missing.db").toString()), "no such file");
    }

    @Test
    void aDatedAddressCannotBeTakenAsALocalPart() {
        String dated = run("addresses").out().lines().findFirst().orElseThrow();
        assertOneLineFailure(run("cap", "create", "--note", "x", "--local-part", dated.substring(0, dated.indexOf('@'))),
                "dated addresses");
    }

    @Test
    void disableAndEnableHoldForTheNextCheck() {
        run("cap", "create", "--note", "bank", "--local-part", "bank1");
        assertEquals("disabled bank1@temp.example.org\n", run("cap", "disable", "bank1", "--note", "leaked").out());
        ToolRun disabled = run("check", "Bank1@temp.example.org");
        assertEquals(1, disabled.status(), disabled.toString());
        assertEquals("Bank1@temp.example.org: disabled capability address (leaked)\n", disabled.out());
        assertEquals("nobody1@temp.example.org: unknown\n", run("check", "nobody1@temp.example.org").out());
        ToolRun shown = run("cap", "show", "BANK1@temp.example.org");
        assertTrue(shown.out().contains("state:        disabled"), shown.out());
        assertTrue(shown.out().contains("note:         leaked"), shown.out());
        assertEquals(0, run("cap", "enable", "bank1@temp.example.org").status());
        ToolRun checked = run("check", "bank1@temp.example.org");
        assertEquals("bank1@temp.example.org: valid, capability address (leaked), delivered to owner@example.org\n",
                checked.out());
    }

    @Test
    void anExpiryDateLastsToTheEndOfThatDay() {
        run("cap", "create", "--note", "fair", "--local-part", "fair1", "--expires", "2026-12-31",
                "--target", "events@example.net");
        ToolRun lastDay = run("check", "fair1@temp.example.org", "--at", "2026-12-31T23:59");
        assertEquals(0, lastDay.status(), lastDay.toString());
        assertTrue(lastDay.out().contains("delivered to events@example.net"), lastDay.out());
        ToolRun after = run("check", "fair1@temp.example.org", "--at", "2027-01-01T00:00");
        assertEquals("fair1@temp.example.org: expired since 2027-01-01 00:00:00 +01:00\n", after.out());
        assertTrue(run("cap", "list").out().contains("fair1"));
        Clock nextYear = Clock.fixed(Instant.parse("2027-01-02T00:00:00Z"), ZoneOffset.UTC);
        assertFalse(run(nextYear, "cap", "list").out().contains("fair1"), "list after the expiry");
        assertTrue(run(nextYear, "cap", "list", "--all").out().contains("fair1@temp.example.org  expired"));
    }

    @Test
    void listIsNewestFirstInEveryFormatAndSearchIgnoresCase() {
        run(Clock.offset(NOW, java.time.Duration.ofMinutes(1)), "cap", "create", "--note", "Bäckerei, Müller",
                "--local-part", "older1");
        run(Clock.offset(NOW, java.time.Duration.ofMinutes(2)), "cap", "create", "--note", "bank \"quoted\"",
                "--local-part", "newer1");
        run("cap", "disable", "older1");
        ToolRun table = run("cap", "list", "--all");
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(0).startsWith("ADDRESS"), table.out());
        assertTrue(lines.get(1).startsWith("newer1@temp.example.org  enabled   2026-11-22 12:02"), table.out());
        assertTrue(lines.get(2).startsWith("older1@temp.example.org  disabled  2026-11-22 12:01"), table.out());
        assertEquals(2, run("cap", "list").out().lines().count(), "without --all only enabled ones");
        ToolRun csv = run("cap", "list", "--all", "--format", "csv");
        assertEquals(List.of(
                "address,state,target,note,created,expires,first_sender,first_seen,last_seen,messages",
                "newer1@temp.example.org,enabled,,\"bank \"\"quoted\"\"\",2026-11-22T11:02:00Z,,,,,0",
                "older1@temp.example.org,disabled,,\"Bäckerei, Müller\",2026-11-22T11:01:00Z,,,,,0"),
                csv.out().lines().toList());
        assertTrue(csv.out().endsWith(",0\r\n"), "CSV lines end in CRLF (RFC 4180)");
        ToolRun json = run("cap", "list", "--all", "--format", "json");
        assertTrue(json.out().contains("{\"address\": \"newer1@temp.example.org\", \"state\": \"enabled\", "
                + "\"target\": null, \"note\": \"bank \\\"quoted\\\"\""), json.out());
        assertTrue(json.out().indexOf("newer1") < json.out().indexOf("older1"));
        ToolRun found = run("cap", "search", "BÄCKEREI");
        assertEquals(0, found.status());
        assertTrue(found.out().contains("older1@temp.example.org"), found.out());
        assertFalse(found.out().contains("newer1"), found.out());
        assertEquals(1, run("cap", "search", "nothing like it").status());
    }

    @Test
    void importMailcapTakesCapsWithTheirAliasesNotesAndStates() throws Exception {
        Path mailcap = dir.resolve("mailcapdb");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + mailcap);
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE `aliases` (`id` INTEGER PRIMARY KEY, `alias` varchar(256) NOT NULL)");
            sql.execute("CREATE TABLE `mailboxes` (`id` INTEGER PRIMARY KEY, `mailbox` text NOT NULL, "
                    + "autoarchive TEXT default NULL)");
            sql.execute("CREATE TABLE `caps` (`id` INTEGER PRIMARY KEY, `cap` varchar(64) NOT NULL COLLATE NOCASE, "
                    + "`created` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP, `enabled` tinyint(1) NOT NULL "
                    + "DEFAULT '1', `alias_id` int(11) DEFAULT NULL, `mailbox_id` int(11) DEFAULT NULL, `note` text, "
                    + "CONSTRAINT `caps_ibfk_1` FOREIGN KEY (`alias_id`) REFERENCES `aliases` (`id`), "
                    + "CONSTRAINT `caps_ibfk_2` FOREIGN KEY (`mailbox_id`) REFERENCES `mailboxes` (`id`))");
            sql.execute("INSERT INTO aliases (id, alias) VALUES (1, 'family@example.net')");
            sql.execute("INSERT INTO mailboxes (id, mailbox) VALUES (1, 'me/Maildir/')");
            sql.execute("INSERT INTO caps (cap, created, enabled, mailbox_id, note) VALUES "
                    + "('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123', '2019-03-04 05:06:07', 1, 1, 'airline')");
            sql.execute("INSERT INTO caps (cap, created, enabled, alias_id, note) VALUES "
                    + "('FAMILYCAP', '2020-01-02 03:04:05', 1, 1, 'for the family')");
            sql.execute("INSERT INTO caps (cap, enabled, mailbox_id, note) VALUES ('SOLDCAP', 0, 1, NULL)");
            sql.execute("INSERT INTO caps (cap, enabled, note) VALUES ('NOWHERECAP', 1, 'routed nowhere')");
        }
        ToolRun imported = run("cap", "import-mailcap", mailcap.toString());
        assertEquals(0, imported.status(), imported.toString());
        assertTrue(imported.out().startsWith("imported 4 addresses into "), imported.out());
        ToolRun csv = run("cap", "list", "--all", "--format", "csv");
        assertTrue(csv.out().contains("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123@temp.example.org,enabled,,airline,"
                + "2019-03-04T05:06:07Z"), csv.out());
        assertTrue(csv.out().contains("FAMILYCAP@temp.example.org,enabled,family@example.net,for the family,"
                + "2020-01-02T03:04:05Z"), csv.out());
        assertTrue(csv.out().contains("SOLDCAP@temp.example.org,disabled,,,"), csv.out());
        assertTrue(csv.out().contains("NOWHERECAP@temp.example.org,disabled,,routed nowhere,"),
                "mailcapdb gave a cap with neither alias nor mailbox no mail: " + csv.out());
        assertTrue(run("check", "familycap@temp.example.org").out().contains("delivered to family@example.net"));
        assertEquals(1, run("check", "soldcap@temp.example.org").status());
        ToolRun again = run("cap", "import-mailcap", mailcap.toString());
        assertEquals(0, again.status());
        assertTrue(again.out().contains("imported 0 addresses") && again.out().contains("skipped 4"), again.out());
        Path notMailcap = dir.resolve("other.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + notMailcap);
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE unrelated (x INTEGER)");
        }
        assertOneLineFailure(run("cap", "import-mailcap", notMailcap.toString()), "not a mailcapdb database");
    }

    @Test
    void localPartsThatAreNotDotAtomsAreRefusedByCreateAndUnquotedOrSkippedByTheImport() throws Exception {
        for (String localPart : List.of("shop.", "a b", "x..y", ".lead", "a\\\\b")) {
            assertOneLineFailure(run("cap", "create", "--note", "x", "--local-part", localPart),
                    "refused: not a dot-atom");
        }
        Path mailcap = dir.resolve("mailcapdb");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + mailcap);
                Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE caps (id INTEGER PRIMARY KEY, cap varchar(64) NOT NULL, note text)");
            for (String cap : List.of("shop.", "a b", "x..y", "\"Quoted\"", "\"a\\\"b\"", "plain")) {
                sql.execute("INSERT INTO caps (cap, note) VALUES ('" + cap.replace("'", "''") + "', 'n')");
            }
        }
        ToolRun imported = run("cap", "import-mailcap", mailcap.toString());
        assertEquals(0, imported.status(), imported.toString());
        assertTrue(imported.out().startsWith("imported 2 addresses into ") && imported.out().contains("skipped 4"),
                imported.out());
        assertTrue(imported.err().contains("imported \"Quoted\"@temp.example.org as Quoted@temp.example.org "
                + "(without its quotes)"), imported.err());
        for (String skipped : List.of("shop.", "a b", "x..y", "\"a\\\"b\"")) {
            assertTrue(imported.err().contains("skipped " + skipped + "@temp.example.org: not a dot-atom"),
                    skipped + ": " + imported.err());
        }
        assertEquals(0, run("check", "quoted@temp.example.org").status());
        assertEquals(0, run("check", "\"quoted\"@temp.example.org").status());
        assertTrue(run("check", "\"QUOTED+a b\"@temp.example.org").out().contains(", extension \"a b\", "));
        assertEquals(1, run("check", "shop.@temp.example.org").status());
    }

    @Test
    void commandLineWritesRunWhileLookupsGoOn() throws Exception {
        run("cap", "create", "--note", "steady", "--local-part", "steady1");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger lookups = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        try (AssembledResolver server = ResolverAssembly.create(ConfigLoader.load(config))) {
            Thread reader = new Thread(() -> {
                while (writing.get()) {
                    try {
                        if (!(server.resolve("steady1@temp.example.org", NOW.instant())
                                instanceof Resolution.Valid)) {
                            failures.add("steady1 was not valid during the writes");
                        }
                        lookups.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            reader.start();
            List<Thread> writers = new ArrayList<>();
            ConcurrentLinkedQueue<String> created = new ConcurrentLinkedQueue<>();
            for (int w = 0; w < 4; w++) {
                Thread writer = new Thread(() -> {
                    for (int i = 0; i < 5; i++) {
                        ToolRun run = run("cap", "create", "--note", "concurrent");
                        if (run.status() != 0) {
                            failures.add(run.toString());
                        }
                        created.add(run.out().strip());
                    }
                });
                writers.add(writer);
                writer.start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
            writing.set(false);
            reader.join();
            assertEquals(List.of(), List.copyOf(failures));
            assertTrue(lookups.get() > 0);
            for (String address : created) {
                assertInstanceOf(Resolution.Valid.class, server.resolve(address, NOW.instant()), address);
            }
            assertEquals(21, run("cap", "list").out().lines().count() - 1);
        }
    }
}
