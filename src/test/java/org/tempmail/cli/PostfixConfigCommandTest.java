package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.testsupport.RequiredTool;

/** tempmail postfix-config prints what the shipped example files say, adapted to the configuration. */
class PostfixConfigCommandTest {
    private static final String INSTALLED_CONFIG = "/etc/postfix/tempmail.cf";
    /** The filter in front of the socketmap for DOMAIN=temp.example.org, as main.cf has it. */
    private static final String FILTER = "pipemap:{regexp:{{/^(.+@temp\\.example\\.org)$$/ $${1}}}, ";

    @TempDir
    Path dir;

    private Path config(String... overrides) throws IOException {
        String text = Files.readString(Path.of("tempmail.cf.example"));
        for (String override : overrides) {
            String key = override.substring(0, override.indexOf('='));
            text = text.replaceAll("(?m)^#?" + key + "=.*$", override);
        }
        Path file = dir.resolve("tempmail.cf");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        // Install guide step 4 comes before step 6: the database the example's DATABASE names exists.
        ToolRun init = ToolRun.of(new String[] {"--config", file.toString(), "init"}, new byte[0], Map.of(),
                Clock.systemUTC());
        assertEquals(0, init.status(), init.toString());
        return file;
    }

    private ToolRun run(Map<String, String> env, Path config, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "--config";
        all[1] = config.toString();
        all[2] = "postfix-config";
        System.arraycopy(args, 0, all, 3, args.length);
        return ToolRun.of(all, new byte[0], env, Clock.systemUTC());
    }

    /** The lines Postfix reads: neither comments nor blank. */
    private static List<String> activeLines(ToolRun run) {
        return run.out().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** The lines of an example file that are not comments, or with {@code prefix}, the commented-out ones. */
    private static List<String> exampleLines(String file, String prefix) throws IOException {
        return Files.readAllLines(Path.of(file)).stream()
                .filter(l -> !l.isBlank())
                .filter(l -> prefix.isEmpty() ? !l.startsWith("#") : l.startsWith(prefix) && l.contains(" = "))
                .map(l -> l.substring(prefix.length()))
                .toList();
    }

    @Test
    void theInstallGuideConfigurationGivesExactlyTheLinesOfTheExampleFiles() throws IOException {
        Path config = config("SOCKETMAP_SOCKET_TYPE=unix");
        ToolRun run = run(Map.of(), config);

        assertEquals(0, run.status(), run.err());
        List<String> expected = new java.util.ArrayList<>(exampleLines("main.cf.example", ""));
        exampleLines("master.cf.example", "").stream()
                .map(l -> l.replace("--config " + INSTALLED_CONFIG, "--config " + config))
                .forEach(expected::add);
        assertEquals(expected, activeLines(run));
        List<String> virtualAlias = exampleLines("main.cf.example", "#");
        assertEquals(2, virtualAlias.size());
        for (String line : virtualAlias) {
            assertTrue(run.out().contains("\n#" + line + "\n"), "Setup 2 line missing: " + line);
        }
    }

    @Test
    void theFilterPassesFullAddressesOfTheDomainInAnyCaseAndNothingElse() throws Exception {
        Path postmap = RequiredTool.requireExecutable("/usr/sbin/postmap", "Debian's postfix package");
        String line = activeLines(run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix"))).get(1);
        // As Postfix reads the main.cf value: $$ is a literal $.
        String pipemap = line.substring(line.indexOf(" = ") + 3).replace("$$", "$");
        String filter = pipemap.substring("pipemap:{".length(), pipemap.indexOf("}}}") + 3);
        // The socketmap's stand-in behind the same filter: found whenever the filter passes the key on.
        String behindFilter = "pipemap:{" + filter + ", static:found}";

        for (String key : List.of("abc@temp.example.org", "AbC@TEMP.Example.ORG", "x+shop@temp.example.org",
                "\"a b\"@temp.example.org")) {
            assertEquals(key + "\n", postmapQuery(postmap, key, filter), "passed on unchanged: " + key);
            assertEquals("found\n", postmapQuery(postmap, key, behindFilter), key);
        }
        for (String key : List.of("owner@example.org", "*", "temp.example.org", "@temp.example.org",
                "x@sub.temp.example.org", "x@temp.example.org.example.net", "x@tempXexample.org", "x@temp-example.org")) {
            assertEquals(null, postmapQuery(postmap, key, behindFilter), "kept from the socketmap: " + key);
        }
    }

    /** What postmap -q prints for the key, or null when the table does not have it (exit 1). */
    private static String postmapQuery(Path postmap, String key, String table) throws Exception {
        Process process = new ProcessBuilder(postmap.toString(), "-q", key, table).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int status = process.waitFor();
        assertTrue(status == 0 || status == 1 && out.isEmpty(), "postmap -q " + key + " " + table + ": " + out);
        return status == 0 ? out : null;
    }

    @Test
    void theTransportExampleIsTheTransportLineOfTheMainCfExample() throws IOException {
        List<String> transport = exampleLines("transport.example", "");
        assertEquals(1, transport.size());
        assertTrue(exampleLines("main.cf.example", "").contains(transport.get(0)));
    }

    @Test
    void anInetSocketIsNamedByAddressAndPort() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=inet", "SOCKETMAP_INET_PORT=10025"));

        assertEquals(0, run.status(), run.err());
        assertTrue(activeLines(run).contains("relay_recipient_maps = " + FILTER + "socketmap:inet:127.0.0.1:10025:rcpt}"),
                run.out());
        assertTrue(run.out().contains("#virtual_alias_maps = " + FILTER + "socketmap:inet:127.0.0.1:10025:tempmail}"),
                run.out());
        assertTrue(run.out().contains(" socketmap:inet:127.0.0.1:10025:rcpt\n"), "postmap check: " + run.out());
    }

    @Test
    void anIpv6LoopbackIsBracketed() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=inet", "SOCKETMAP_INET_INTERFACE=::1"));

        assertTrue(activeLines(run).get(1).endsWith(", socketmap:inet:[::1]:10000:rcpt}"), run.out());
    }

    @Test
    void listeningOnEveryInterfaceIsConnectedThroughLoopbackAndWarnedAbout() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=inet", "SOCKETMAP_INET_INTERFACE=0.0.0.0"));

        assertEquals(0, run.status());
        assertTrue(activeLines(run).contains("relay_recipient_maps = " + FILTER + "socketmap:inet:127.0.0.1:10000:rcpt}"));
        assertTrue(run.err().contains("warning: SOCKETMAP_INET_INTERFACE 0.0.0.0 listens on every interface"),
                run.err());
    }

    @Test
    void mapNamesTransportAndDomainComeFromTheConfiguration() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "DOMAIN=Tmp.Example.NET",
                "SOCKETMAP_RCPT_NAME=valid", "SOCKETMAP_TRANSPORT_NAME=route", "SOCKETMAP_NAME=alias",
                "TRANSPORT=tm2:", "SOCKETMAP_UNIX_SOCKET_PATH=/var/spool/postfix/private/tm.sock"));

        String filter = "pipemap:{regexp:{{/^(.+@tmp\\.example\\.net)$$/ $${1}}}, ";
        assertEquals(List.of(
                "relay_domains = tmp.example.net",
                "relay_recipient_maps = " + filter + "socketmap:unix:private/tm.sock:valid}",
                "transport_maps = inline:{ tmp.example.net=tm2: }",
                "tm2_destination_recipient_limit = 1"), activeLines(run).subList(0, 4));
        assertTrue(activeLines(run).get(4).startsWith("tm2       unix  -       n       n       -       -       pipe"),
                run.out());
        assertTrue(run.out().contains("#virtual_alias_maps = " + filter + "socketmap:unix:private/tm.sock:alias}"),
                run.out());
    }

    @Test
    void lmtpDeliveryGivesTheLmtpTransportTheLineLengthSettingAndNoMasterEntry() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "TRANSPORT=lmtp:unix:tempmail/lmtp",
                "LMTP_LISTEN=unix:/var/spool/postfix/tempmail/lmtp"));

        assertEquals(0, run.status(), run.err());
        assertEquals(List.of(
                "relay_domains = temp.example.org",
                "relay_recipient_maps = " + FILTER + "socketmap:unix:tempmail/socketmap:rcpt}",
                "transport_maps = inline:{ temp.example.org=lmtp:unix:tempmail/lmtp }",
                "lmtp_line_length_limit = 0"), activeLines(run));
        assertTrue(run.out().contains("# ---- /etc/postfix/master.cf: nothing to add"), run.out());
        assertFalse(run.out().contains("WARNING"), run.out());
    }

    @Test
    void lmtpReinjectGivesTheReinjectionSmtpdEntryForMasterCf() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "TRANSPORT=lmtp:unix:tempmail/lmtp",
                "LMTP_LISTEN=unix", "LMTP_REINJECT=inet:127.0.0.1:10026"));

        List<String> lines = activeLines(run);
        assertEquals("127.0.0.1:10026 inet n - n - - smtpd", lines.get(4), run.out());
        assertTrue(lines.contains("  -o smtpd_recipient_restrictions=permit_mynetworks,reject"), run.out());
        assertTrue(lines.contains("  -o mynetworks=127.0.0.0/8"), run.out());
    }

    @Test
    void thePipeSetupNamesTheLmtpTransportThatWouldReachLmtpListen() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "LMTP_LISTEN=unix"));

        assertTrue(run.out().contains("# TRANSPORT=lmtp:unix:tempmail/lmtp in tempmail.cf"), run.out());
    }

    @Test
    void anLmtpTransportWithoutALmtpListenerOrWithAnotherOneIsWarnedAbout() throws IOException {
        ToolRun unset = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "TRANSPORT=lmtp:unix:tempmail/lmtp"));
        ToolRun other = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "TRANSPORT=lmtp:unix:tempmail/lmtp",
                "LMTP_LISTEN=inet:127.0.0.1:2424"));

        assertTrue(unset.err().contains("but LMTP_LISTEN is not set: every message would be deferred"), unset.err());
        assertTrue(other.err().contains("set TRANSPORT=lmtp:inet:127.0.0.1:2424."), other.err());
    }

    @Test
    void aSocketOutsideTheQueueDirectoryIsNamedInFullWithAWarning() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=/run/tempmail.sock"));

        assertEquals(0, run.status());
        assertTrue(activeLines(run).contains("relay_recipient_maps = " + FILTER + "socketmap:unix:/run/tempmail.sock:rcpt}"));
        assertTrue(run.err().contains("/run/tempmail.sock is outside Postfix's queue directory /var/spool/postfix"),
                run.err());
        assertTrue(run.out().contains("# WARNING: SOCKETMAP_UNIX_SOCKET_PATH /run/tempmail.sock is outside"));
    }

    @Test
    void anotherQueueDirectoryChangesTheRelativeSocketName() throws IOException {
        ToolRun run = run(Map.of(), config("SOCKETMAP_SOCKET_TYPE=unix",
                "SOCKETMAP_UNIX_SOCKET_PATH=/srv/postfix/queue/tempmail/socketmap"),
                "--queue-directory", "/srv/postfix/queue", "--user", "nobody", "--launcher", "/bin/sh");

        assertTrue(activeLines(run).contains("relay_recipient_maps = " + FILTER + "socketmap:unix:tempmail/socketmap:rcpt}"));
        assertEquals("", run.err().replaceAll("(?m)^tempmail: warning: .*SHARED_SECRET.*\n", ""));
    }

    @Test
    void theLauncherAndUserCanBeChosen() throws IOException {
        Path config = config("SOCKETMAP_SOCKET_TYPE=unix");

        ToolRun fromOption = run(Map.of("TEMPMAIL_LAUNCHER", "/opt/x/bin/tempmail"), config,
                "--launcher", "/opt/tempmail/bin/tempmail", "--user", "mailtmp");
        ToolRun fromLauncher = run(Map.of("TEMPMAIL_LAUNCHER", "/opt/x/bin/tempmail"), config);

        assertTrue(activeLines(fromOption).contains("  flags=DRq user=mailtmp null_sender="), fromOption.out());
        assertTrue(fromOption.out().contains("  argv=/opt/tempmail/bin/tempmail --config " + config + " deliver "));
        assertTrue(fromLauncher.out().contains("  argv=/opt/x/bin/tempmail --config " + config + " deliver "));
    }

    @Test
    void aLauncherThePipeUserCannotReachIsWarnedAbout() throws IOException {
        Path config = config("SOCKETMAP_SOCKET_TYPE=unix");
        Path home = Files.createDirectories(dir.resolve("home/admin"));
        Path launcher = Files.createDirectories(home.resolve("tempmail/bin")).resolve("tempmail");
        Files.writeString(launcher, "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("home"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));

        ToolRun closed = run(Map.of("TEMPMAIL_LAUNCHER", launcher.toString()), config, "--user", "nobody");
        assertEquals(0, closed.status(), closed.err());
        assertTrue(closed.err().contains("tempmail postfix-config: warning: " + launcher + " is out of reach: the "
                + "directory " + home.toRealPath() + " (mode 0700, "), closed.err());
        assertTrue(closed.err().contains("is closed to nobody: pipe(8) could not run it as nobody and would bounce"),
                closed.err());
        assertTrue(closed.out().contains("# WARNING: " + launcher + " is out of reach"), closed.out());

        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx--x--x"));
        ToolRun open = run(Map.of("TEMPMAIL_LAUNCHER", launcher.toString()), config, "--user", "nobody");
        assertFalse(open.err().contains(launcher.toString()), open.err());

        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr--r--"));
        ToolRun notExecutable = run(Map.of("TEMPMAIL_LAUNCHER", launcher.toString()), config, "--user", "nobody");
        assertTrue(notExecutable.err().contains("nobody may not run " + launcher + " (mode 0744, "),
                notExecutable.err());

        ToolRun noUser = run(Map.of("TEMPMAIL_LAUNCHER", launcher.toString()), config, "--user", "no-such-user-x");
        assertTrue(noUser.err().contains("there is no user no-such-user-x on this host"), noUser.err());
    }

    @Test
    void theOwnersDomainsAreNamedAndADatabaseThatCannotBeReadPrintsNothing() throws IOException {
        Path config = config("SOCKETMAP_SOCKET_TYPE=unix");
        ToolRun added = ToolRun.of(new String[] {"--config", config.toString(), "owner", "add", "carol",
                "--maildrop", "carol@example.net", "--domain", "carol.example"}, new byte[0], Map.of(),
                Clock.systemUTC());
        assertEquals(0, added.status(), added.toString());
        assertTrue(activeLines(run(Map.of(), config)).contains("relay_domains = temp.example.org, carol.example"),
                run(Map.of(), config).out());
        Files.move(dir.resolve("tempmail.db"), dir.resolve("moved.db"));
        ToolRun run = run(Map.of(), config);

        assertEquals(2, run.status());
        assertEquals("", run.out(), "lines without carol.example would pass for complete in main.cf");
        assertTrue(run.err().startsWith("tempmail postfix-config: cannot read the owners, whose domains the lines "
                + "must name: capability database missing: " + dir.resolve("tempmail.db")), run.err());
        assertTrue(run.err().contains("`tempmail init` creates it; printed nothing: run it again once "
                + dir.resolve("tempmail.db") + " can be read\n"), run.err());
    }

    @Test
    void rootIsRefusedAsThePipeUser() throws IOException {
        ToolRun run = run(Map.of(), config(), "--user", "root");

        assertEquals(2, run.status());
        assertTrue(run.err().contains("--user must name an unprivileged user"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void aRelativeConfigPathIsPrintedAbsolute() throws IOException {
        config("SOCKETMAP_SOCKET_TYPE=unix");
        Path relative = Path.of("").toAbsolutePath().relativize(dir.resolve("tempmail.cf"));
        ToolRun run = run(Map.of(), relative);

        assertTrue(run.out().contains("  argv=/usr/local/bin/tempmail --config " + dir.resolve("tempmail.cf")
                + " deliver "), run.out());
    }
}
