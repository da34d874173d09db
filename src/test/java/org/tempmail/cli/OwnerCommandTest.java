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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tempmail owner … and --owner, as an administrator at a terminal uses them. */
class OwnerCommandTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T11:00:00Z"), ZoneOffset.UTC);
    private static final Clock TOMORROW = Clock.fixed(Instant.parse("2026-11-23T11:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void writeConfig() throws IOException {
        config = dir.resolve("tempmail.cf");
        Files.writeString(config, """
                SHARED_SECRET=s3cret-s3cret-s3cret
                DOMAIN=temp.example.org
                MAILDROP=me@example.org
                LENGTH=16
                TIMEZONE=UTC
                DATABASE=tempmail.db
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

    /** The secret and today's address `owner add` prints. */
    private List<String> add(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("owner", "add", name, "--maildrop", name + "@example.net"));
        args.addAll(List.of(more));
        ToolRun added = run(args.toArray(String[]::new));
        assertEquals(0, added.status(), added.toString());
        return added.out().lines().toList();
    }

    @Test
    void addPrintsTheSecretAloneThenTodaysAddressWhichCheckCallsTheOwners() {
        List<String> lines = add("alice");
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(32, Base64.getUrlDecoder().decode(lines.get(0)).length);
        assertTrue(lines.get(1).matches("[0-9a-f]{16}@temp\\.example\\.org"), lines.get(1));
        ToolRun check = run("check", lines.get(1));
        assertEquals(0, check.status(), check.toString());
        assertTrue(check.out().contains("owner alice, delivered to alice@example.net"), check.out());
        assertEquals(lines.get(1) + "\n", run("addresses", "--owner", "alice").out().lines().findFirst()
                .orElseThrow() + "\n");
        List<String> carol = add("carol", "--domain", "Carol.Example", "--valid-days", "3");
        assertTrue(carol.get(1).endsWith("@carol.example"), carol.get(1));
        assertEquals(3, run("addresses", "--owner", "carol").out().lines().count());
        assertFalse(run("owner", "show", "alice").out().contains(lines.get(0)), "show hides the secret");
        assertTrue(run("owner", "show", "alice", "--secret").out().contains("secret:     " + lines.get(0)));
    }

    @Test
    void postfixConfigRoutesTheOwnersOwnDomainsBesideDomain() {
        add("alice");
        add("carol", "--domain", "temp.example.com");
        String lines = run("postfix-config").out();
        assertTrue(lines.contains("relay_domains = temp.example.org, temp.example.com\n"), lines);
        assertTrue(lines.contains("transport_maps = inline:{ temp.example.org=tempmail:, temp.example.com=tempmail: }"),
                lines);
        assertTrue(lines.contains("pipemap:{regexp:{{/^(.+@(temp\\.example\\.org|temp\\.example\\.com))$$/ $${1}}}"),
                lines);
    }

    @Test
    void listShowsEveryOwnerInEachFormatWithoutSecrets() {
        String secret = add("alice").get(0);
        add("bob", "--domain", "bob.example");
        String table = run("owner", "list").out();
        assertTrue(table.contains("alice") && table.contains("bob.example"), table);
        assertEquals("name,maildrop,domain,valid_days,enabled,created\n"
                + "alice,alice@example.net,temp.example.org,2,true,2026-11-22T11:00:00Z\n"
                + "bob,bob@example.net,bob.example,2,true,2026-11-22T11:00:00Z\n",
                run("owner", "list", "--format", "csv").out());
        String json = run("owner", "list", "--format", "json").out();
        assertTrue(json.contains("{\"name\": \"bob\", \"maildrop\": \"bob@example.net\", \"domain\": \"bob.example\""),
                json);
        assertFalse(table.contains(secret) || json.contains(secret));
        assertEquals(2, run("owner", "list", "--format", "xml").status());
    }

    @Test
    void disableEnableAndRemoveDecideWhetherItsAddressesTakeMail() {
        String address = add("alice").get(1);
        ToolRun cap = run("cap", "create", "--owner", "alice", "--note", "shop");
        assertEquals(0, cap.status(), cap.toString());
        String capAddress = cap.out().strip();
        assertTrue(run("check", capAddress).out().contains("owner alice, delivered to alice@example.net"),
                "a capability address of an owner goes to its maildrop");
        assertTrue(run("cap", "list", "--owner", "alice").out().contains(capAddress));
        assertEquals(0, run("owner", "disable", "alice").status());
        ToolRun disabled = run("check", address.toUpperCase(java.util.Locale.ROOT).replace("@", "+shop@"));
        assertEquals(1, disabled.status());
        assertTrue(disabled.out().endsWith(": address of owner alice, who is disabled: mail to it is refused as "
                + "unknown (tempmail owner enable alice)\n"), disabled.out());
        ToolRun disabledCap = run("check", capAddress);
        assertEquals(1, disabledCap.status());
        assertEquals(capAddress + ": capability address (shop) of owner alice, who is disabled: mail to it is "
                + "refused as unknown (tempmail owner enable alice)\n", disabledCap.out());
        assertEquals(0, run("owner", "enable", "alice").status());
        assertEquals(0, run("check", address).status());
        ToolRun unconfirmed = run("owner", "remove", "alice");
        assertEquals(2, unconfirmed.status());
        assertTrue(unconfirmed.err().contains("add --yes"), unconfirmed.err());
        ToolRun removed = run("owner", "remove", "alice", "--yes");
        assertEquals("owner alice: removed, with 1 capability address\n", removed.out());
        assertEquals(1, run("check", address).status());
        assertEquals(1, run("check", capAddress).status());
        assertEquals(2, run("owner", "show", "alice").status());
    }

    @Test
    void afterRotationYesterdaysAddressStillArrivesAndTheNewSecretMakesTodays() {
        String yesterdays = run(Clock.offset(NOW, java.time.Duration.ofDays(-1)), "owner", "add", "alice",
                "--maildrop", "alice@example.net").out().lines().toList().get(1);
        ToolRun rotated = run("owner", "rotate-secret", "alice");
        assertEquals(0, rotated.status(), rotated.toString());
        assertEquals(1, rotated.out().lines().count());
        assertEquals(0, run("check", yesterdays).status(), "yesterday's address is valid to the end of its window");
        assertEquals(1, run(TOMORROW, "check", yesterdays).status());
        String today = run("addresses", "--owner", "alice").out().lines().findFirst().orElseThrow();
        assertEquals(0, run(TOMORROW, "check", today).status());
    }

    @Test
    void aSecondRotationWhileTheFirstOldSecretsAddressesAreValidIsRefusedUnlessDropped() {
        String yesterdays = run(Clock.offset(NOW, java.time.Duration.ofDays(-1)), "owner", "add", "alice",
                "--maildrop", "alice@example.net").out().lines().toList().get(1);
        assertEquals(0, run("owner", "rotate-secret", "alice").status());
        ToolRun again = run("owner", "rotate-secret", "alice");
        assertEquals(2, again.status(), again.toString());
        assertTrue(again.err().contains("add --drop-previous"), again.err());
        assertEquals(0, run("check", yesterdays).status(), "the refused rotation kept yesterday's address");
        assertEquals(0, run("owner", "rotate-secret", "alice", "--drop-previous").status());
        assertEquals(1, run("check", yesterdays).status(), "--drop-previous cuts the oldest secret off");
    }

    @Test
    void importAddsAllOrNothingAndPrintsTheSecretsAsCsv() throws IOException {
        Path csv = dir.resolve("owners.csv");
        Files.writeString(csv, "name,maildrop,domain,valid_days\nalice,alice@example.net\n"
                + "bob,bob@example.net,bob.example,3\n");
        ToolRun imported = run("owner", "import", csv.toString());
        assertEquals(0, imported.status(), imported.toString());
        List<String> lines = imported.out().lines().toList();
        assertEquals("name,secret", lines.get(0));
        assertTrue(lines.get(1).matches("alice,[A-Za-z0-9_-]{43}") && lines.get(2).startsWith("bob,"),
                lines.toString());
        Files.writeString(csv, "carol,carol@example.net\nalice,again@example.net\n");
        ToolRun refused = run("owner", "import", csv.toString());
        assertEquals(2, refused.status());
        assertTrue(refused.err().contains(csv + ":2: an owner named \"alice\" exists already; nothing was imported"),
                refused.err());
        assertEquals(2, run("owner", "show", "carol").status(), "carol was not added");
    }

    @Test
    void aSharedDomainNeedsLengthSixteenAndBadInputIsAOneLineError() throws IOException {
        Files.writeString(config, Files.readString(config).replace("LENGTH=16", "LENGTH=8"));
        ToolRun shared = run("owner", "add", "alice", "--maildrop", "alice@example.net");
        assertEquals(2, shared.status());
        assertTrue(shared.err().contains("need LENGTH=16 or more"), shared.err());
        assertEquals(0, run("owner", "add", "alice", "--maildrop", "a@example.net", "--domain", "alice.example")
                .status(), "a domain of its own is fine");
        assertEquals(2, run("owner", "add", "Bad", "--maildrop", "b@example.net").status());
        assertEquals(2, run("owner", "add", "bob", "--maildrop", "bob@temp.example.org", "--domain", "b.example")
                .status());
        assertEquals(2, run("owner", "add", "bob", "--domain", "b.example").status());
        for (String sub : List.of("add", "list", "show", "disable", "enable", "remove", "rotate-secret", "import")) {
            ToolRun help = run("owner", sub, "--help");
            assertEquals(0, help.status(), sub);
            assertTrue(help.out().contains("owner " + sub), help.out());
        }
        assertEquals(0, run("owner").status());
    }

    @Test
    void withoutAnOwnerOfTempmailCfTheOwnersWorkAndWhatNeedsOneSaysWhatIsMissing() throws IOException {
        String alice = add("alice").get(1);
        Files.writeString(config, """
                DOMAIN=temp.example.org
                LENGTH=16
                TIMEZONE=UTC
                DATABASE=tempmail.db
                """);
        String missing = config + ": there is no owner of tempmail.cf, as it sets neither SHARED_SECRET (or "
                + "SHARED_SECRET_FILE) nor MAILDROP: ";
        String fix = ", or set SHARED_SECRET_FILE and MAILDROP in " + config + "\n";
        ToolRun addresses = run("addresses");
        assertEquals(2, addresses.status(), addresses.toString());
        assertEquals("tempmail addresses: " + missing + "give --owner NAME (tempmail owner list shows the names)"
                + fix, addresses.err());
        assertEquals(alice, run("addresses", "--owner", "alice").out().lines().findFirst().orElseThrow());
        ToolRun page = run("page");
        assertEquals(2, page.status(), page.toString());
        assertTrue(page.err().startsWith("tempmail page: " + missing + "give --owner NAME"), page.err());
        assertEquals(0, run("page", "--owner", "alice").status());
        ToolRun cap = run("cap", "create", "--note", "shop");
        assertEquals(2, cap.status(), cap.toString());
        assertEquals("tempmail cap create: " + missing + "give --owner NAME (tempmail owner list) or --target "
                + "ADDRESS" + fix, cap.err());
        assertEquals(0, run("cap", "create", "--note", "shop", "--owner", "alice").status());
        assertEquals(0, run("cap", "create", "--note", "club", "--target", "me@example.net").status());
        assertEquals(0, run("owner", "add", "bob", "--maildrop", "bob@example.net").status());
        ToolRun check = run("check", alice);
        assertEquals(0, check.status(), check.toString());
        assertTrue(check.out().endsWith("owner alice, delivered to alice@example.net\n"), check.out());
        ToolRun nobody = run("check", "0123456789abcdef@temp.example.org");
        assertEquals("0123456789abcdef@temp.example.org: unknown (tempmail.cf has no owner of its own: no "
                + "SHARED_SECRET, no MAILDROP)\n", nobody.out());
        assertEquals("x@example.net: unknown\n", run("check", "x@example.net").out());
        ToolRun postfix = run("postfix-config");
        assertEquals(0, postfix.status(), postfix.toString());
        assertTrue(postfix.out().contains(" addresses --owner NAME | head -n 1)\" "), postfix.out());
        assertTrue(postfix.out().contains("# with NAME an owner (tempmail owner list) prints its maildrop"),
                postfix.out());
        ToolRun deliver = ToolRun.of(new String[] {"--config", config.toString(), "deliver", "--sender",
                "s@example.net", "--recipient", "0123456789abcdef@temp.example.org"},
                "Subject: x\n\nbody\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), Map.of(), NOW);
        assertEquals(67, deliver.status(), deliver.toString());
        assertEquals("5.1.1 <0123456789abcdef@temp.example.org>: no such temporary address\n", deliver.out());
    }
}
