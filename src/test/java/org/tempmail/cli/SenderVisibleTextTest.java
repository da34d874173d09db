package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.ConfigLoader;
import org.tempmail.testsupport.RequiredTool;
import org.tempmail.testsupport.SyslogReceiver;

/**
 * What a sender can read: pipe(8) puts deliver's output, stdout and stderr alike, into the bounce and delay
 * notices it sends. Each failure here runs the real launcher and deliver as pipe(8) would (output merged), and
 * checks that the output is one line with a status code and a short reason, free of the secret, credentials,
 * hosts and paths, and that the administrator's detail arrived in syslog (a real logger(1) writing to a datagram
 * socket, as to /dev/log) or, for a handed-over delivery, in the server's log.
 */
class SenderVisibleTextTest {
    private static final Path LAUNCHER = Path.of("bin/tempmail").toAbsolutePath();
    private static final String SECRET = "Zk3vQ9mR7tL2pW8xNc4J";
    private static final String QUEUE_ID = "4F2A9C1B7E";
    private static final Duration LOG_WAIT = Duration.ofSeconds(10);
    private static final String NOBODY = "65534";

    @TempDir
    Path tempDir;

    private Path dir;
    private SyslogReceiver syslog;
    private String address;

    @BeforeEach
    void start() throws Exception {
        // Readable by nobody, for the case that runs as nobody; the paths under it are what must not leak.
        dir = Files.createDirectory(tempDir.resolve("site-internal"));
        Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        syslog = SyslogReceiver.start(dir.resolve("log"));
        Path config = writeConfig(List.of());
        address = DatedAddressResolver.from(ConfigLoader.load(config).addresses())
                .addressOf(LocalDate.now(ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        syslog.close();
    }

    @Test
    void aLineThatHoldsOnlyTheSecretIsNeverQuoted() throws Exception {
        Path config = writeConfig(List.of(SECRET));
        String out = deliverFails(75, config, List.of());
        assertEquals("4.3.5 tempmail deliver: configuration error (line 6)\n", out);
        assertAdministratorReads(config + ":6: expected KEY=value");
        assertSyslogNeverHolds(SECRET);
    }

    @Test
    void theSecretFileGivenAsTheConfigurationIsNeverQuoted() throws Exception {
        // A base64 secret ends in '=' and reads as an assignment; one with + or / does not: both kinds.
        for (String secret : List.of("c2VjcmV0SGVyZUZvclRlc3Rz=", "q+8v/Zk3vQ9mR7tL2pW8xNc4J0==")) {
            Path secretFile = Files.writeString(dir.resolve("tempmail.secret"), secret + "\n");
            String out = deliverFails(75, secretFile, List.of(secret));
            assertTrue(out.startsWith("4.3.5 tempmail deliver: configuration error ("), out);
            assertAdministratorReads(secretFile + ":");
            assertSyslogNeverHolds(secret.substring(0, 12));
            syslog.clear();
        }
    }

    @Test
    void anUnreadableConfigurationNamesTheFixForTheAdministrator() throws Exception {
        Path config = writeConfig(List.of());
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            RequiredTool.requireExecutable("/usr/bin/setpriv", "util-linux");
        }
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Result result = launch(config, List.of(), root);
        assertEquals(75, result.status, result.out);
        assertEquals("4.3.5 tempmail deliver: cannot read its configuration\n", result.out);
        String group = root ? "nogroup" : groupOfThisUser();
        assertAdministratorReads(QUEUE_ID + ": 4.3.5 tempmail deliver: " + config
                + ": cannot read the configuration: permission denied");
        assertAdministratorReads("chgrp " + group + " " + config + "; chmod 0640 " + config);
    }

    @Test
    void aDatabaseUrlWithUserAndHostStaysWithTheAdministrator() throws Exception {
        Path config = writeConfig(List.of("DATABASE='jdbc:mysql://dbadmin@db.internal.example:3306/tm?password=pw'"));
        String out = deliverFails(75, config, List.of("dbadmin", "db.internal.example", "3306", "mysql"));
        assertEquals("4.3.5 tempmail deliver: configuration error (line 6, key DATABASE)\n", out);
        assertAdministratorReads(config + ":6: DATABASE: this JDBC URL is not supported");

        // Reachable in form, not in fact: the lookup of an address that is no dated one needs the database.
        config = writeConfig(List.of("DATABASE='jdbc:postgresql://localhost:1/tmdb?user=dbadmin&password=hunter2'"));
        out = deliverFails(75, config, "nobody@temp.example.org", List.of("dbadmin", "localhost", "tmdb", "hunter2"));
        assertEquals("4.3.0 cannot check <nobody@temp.example.org>: capability addresses unavailable\n", out);
        assertAdministratorReads(QUEUE_ID + ": to=<nobody@temp.example.org>: 4.3.0 cannot check");
        assertAdministratorReads("jdbc:postgresql://localhost:1/tmdb?user=dbadmin&password=***");
        assertSyslogNeverHolds("hunter2");
    }

    @Test
    void aMissingSendmailIsNamedOnlyToTheAdministrator() throws Exception {
        Path missing = dir.resolve("no-such-sendmail");
        Path config = writeConfig(List.of("SENDMAIL=" + missing));
        String out = deliverFails(75, config, List.of());
        assertEquals("4.3.0 sendmail is missing or not executable (key SENDMAIL)\n", out);
        assertAdministratorReads(missing + " is missing or not executable");
    }

    @Test
    void whatAFailingSendmailSaidStaysWithTheAdministrator() throws Exception {
        Path sendmail = script("sendmail", "cat >/dev/null\necho 'postdrop: fatal: /var/spool/postfix/maildrop/x: "
                + "Permission denied, owner@example.org' >&2\nexit 1");
        Path config = writeConfig(List.of("SENDMAIL=" + sendmail));
        String out = deliverFails(75, config, List.of("owner@example.org", "/var/spool", "postdrop"));
        assertEquals("4.3.0 sendmail failed with status 1\n", out);
        assertAdministratorReads(sendmail + " failed with status 1: postdrop: fatal: /var/spool/postfix/maildrop/x");
    }

    @Test
    void aSpoolDirectoryProblemNamesNoPath() throws Exception {
        Path open = Files.createDirectory(dir.resolve("spool-open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path config = writeConfig(List.of("SPOOL_DIRECTORY=" + open));
        String out = deliverFails(75, config, List.of());
        assertEquals("4.3.0 cannot spool the message (key SPOOL_DIRECTORY)\n", out);
        assertAdministratorReads("spool directory " + open + ": the spool directory must be a directory owned by");

        Path file = Files.writeString(dir.resolve("spool-file"), "");
        config = writeConfig(List.of("SPOOL_DIRECTORY=" + file));
        out = deliverFails(75, config, List.of());
        assertEquals("4.3.0 cannot spool the message (key SPOOL_DIRECTORY)\n", out);
        assertAdministratorReads("spool directory " + file + ":");
    }

    @Test
    void aMaildropLoopDoesNotTellTheSenderTheMaildrop() throws Exception {
        Path plain = writeConfig(List.of());
        String yesterdays = DatedAddressResolver.from(ConfigLoader.load(plain).addresses())
                .addressOf(LocalDate.now(ZoneOffset.UTC).minusDays(1));
        Path config = writeConfig(List.of("MAILDROP=" + yesterdays));
        String out = deliverFails(65, config, List.of(yesterdays, yesterdays.substring(0, 8)));
        assertEquals("5.4.6 mail loop: the address forwards to a temporary address\n", out);
        assertAdministratorReads("MAILDROP <" + yesterdays + "> is itself a temporary address");
    }

    @Test
    void theLaunchersOwnFailuresNameTheirPathsOnlyInSyslog() throws Exception {
        Path installed = Files.createDirectories(dir.resolve("lib-without-jar"));
        Path launcher = Files.copy(LAUNCHER, installed.resolve("tempmail"));
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(deliverArguments(address));
        Result result = run(command, Map.of("TEMPMAIL_JAR", ""), false);
        assertEquals(75, result.status, result.out);
        assertEquals("4.3.0 tempmail: cannot start tempmail deliver; delivery deferred\n", result.out);
        assertAdministratorReads(QUEUE_ID + ": 4.3.0 tempmail: tempmail.jar not found next to " + launcher);

        // What the JVM itself says on stderr (here: it cannot find the main class) goes to syslog as well.
        command = new ArrayList<>(List.of(LAUNCHER.toString(), "--config", writeConfig(List.of()).toString()));
        command.addAll(deliverArguments(address));
        result = run(command, Map.of("TEMPMAIL_JAR", dir.resolve("broken.jar").toString()), false);
        assertEquals(75, result.status, result.out);
        assertEquals("4.3.0 tempmail: the Java runtime ended with status 1; delivery deferred\n", result.out);
        assertAdministratorReads("org.tempmail.cli.Main");
    }

    @Test
    void aHandedOverDeliveryLeavesItsDetailInTheServersLog() throws Exception {
        Path sendmail = script("sendmail", "cat >/dev/null\necho 'postdrop: fatal: owner@example.org' >&2\nexit 1");
        Path config = writeConfig(List.of("SENDMAIL=" + sendmail, "SOCKETMAP_SOCKET_TYPE=unix",
                "SOCKETMAP_UNIX_SOCKET_PATH=" + dir.resolve("socketmap"), "DELIVERY_SOCKET=" + dir.resolve("deliver")));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.tempmail.cli.Main",
                "--config", config.toString(), "serve").redirectErrorStream(true).start();
        ByteArrayOutputStream serverLog = new ByteArrayOutputStream();
        Thread logReader = copying(server.getInputStream(), serverLog);
        try {
            awaitLog(serverLog, "taking deliveries on");
            String out = deliverFails(75, config, List.of("owner@example.org", "postdrop"));
            assertEquals("4.3.0 sendmail failed with status 1\n", out);
            awaitLog(serverLog, "deliveries: " + QUEUE_ID + ": to=<" + address + ">: 4.3.0 sendmail failed with "
                    + "status 1: " + sendmail + " failed with status 1: postdrop: fatal: owner@example.org");
        } finally {
            server.destroy();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
            logReader.join(5000);
        }
    }

    /** Runs deliver for today's address; returns its output, checked for what a sender must never read. */
    private String deliverFails(int status, Path config, List<String> alsoSecret) throws Exception {
        return deliverFails(status, config, address, alsoSecret);
    }

    private String deliverFails(int status, Path config, String recipient, List<String> alsoSecret)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "--config", config.toString()));
        command.addAll(deliverArguments(recipient));
        Result result = run(command, Map.of(), false);
        assertEquals(status, result.status, result.out);
        assertSenderCanRead(result.out, alsoSecret);
        return result.out;
    }

    private Result launch(Path config, List<String> alsoSecret, boolean asNobody) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString(), "--config", config.toString()));
        command.addAll(deliverArguments(address));
        Result result = run(command, Map.of(), asNobody);
        assertSenderCanRead(result.out, alsoSecret);
        return result;
    }

    /** One line: a status code, a short reason; no secret, no path, host or user of this site. */
    private void assertSenderCanRead(String out, List<String> alsoSecret) {
        assertTrue(out.matches("[245]\\.\\d{1,3}\\.\\d{1,3} [^\\n]+\\n"), "one status line: " + out);
        List<String> forbidden = new ArrayList<>(List.of(SECRET, dir.toString(), "site-internal", "/etc/",
                "/usr/", "/tmp", "java.", "Exception"));
        forbidden.addAll(alsoSecret);
        for (String text : forbidden) {
            assertFalse(out.contains(text), "the sender would read " + text + ": " + out);
        }
    }

    private void assertAdministratorReads(String text) throws InterruptedException {
        String message = syslog.await(text, LOG_WAIT);
        assertNotNull(message, "syslog never got " + text + "; it got " + syslog.messages());
        // Facility mail (2), severity warning (4): <20>; tagged as Postfix's programs are.
        assertTrue(message.startsWith("<20>") && message.contains("tempmail/deliver["), message);
    }

    private void assertSyslogNeverHolds(String text) {
        for (String message : syslog.messages()) {
            assertFalse(message.contains(text), "a secret in syslog: " + message);
        }
    }

    private List<String> deliverArguments(String recipient) {
        return List.of("deliver", "--sender=alice@example.net", "--recipient=" + recipient,
                "--queue-id=" + QUEUE_ID);
    }

    private Path writeConfig(List<String> extra) throws IOException {
        List<String> lines = new ArrayList<>(List.of("SHARED_SECRET=" + SECRET, "DOMAIN=temp.example.org",
                "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SENDMAIL=" + script("sendmail-ok", "cat >/dev/null")));
        lines.addAll(extra);
        Path config = dir.resolve("tempmail.cf");
        Files.deleteIfExists(config);
        Files.write(config, lines);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        return config;
    }

    private Path script(String name, String body) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        return path;
    }

    /** As pipe(8) runs a command: stdout and stderr into one pipe, the message on stdin. */
    private Result run(List<String> command, Map<String, String> environment, boolean asNobody)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>();
        if (asNobody) {
            line.addAll(List.of("/usr/bin/setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups",
                    "--"));
        }
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("TEMPMAIL_JAR",
                asNobody ? classPathForNobody() : System.getProperty("java.class.path"));
        builder.environment().put("TEMPMAIL_SYSLOG_SOCKET", syslog.socket().toString());
        builder.environment().remove("TEMPMAIL_JAVA_OPTS");
        builder.environment().remove("TEMPMAIL_CONFIG");
        builder.environment().putAll(environment);
        if ("".equals(environment.get("TEMPMAIL_JAR"))) {
            builder.environment().remove("TEMPMAIL_JAR");
        }
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write("From: alice@example.net\nSubject: hello\n\nbody\n".getBytes(UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Result(process.exitValue(), out);
    }

    /** The class path, copied where nobody may read it (a checkout under /root is closed to nobody). */
    private String classPathForNobody() throws IOException {
        Path copies = dir.resolve("classpath");
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (!Files.exists(path)) {
                continue;
            }
            Path copy = copies.resolve(n++ + "-" + path.getFileName());
            try (var paths = Files.walk(path)) {
                for (Path source : paths.toList()) {
                    Path target = copy.resolve(path.relativize(source).toString());
                    Files.createDirectories(target.getParent());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target);
                    }
                }
            }
            entries.add(copy.toString());
        }
        try (var paths = Files.walk(copies)) {
            for (Path path : paths.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String groupOfThisUser() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-gn").start();
        String group = new String(id.getInputStream().readAllBytes(), UTF_8).strip();
        id.waitFor();
        return group;
    }

    private static Thread copying(InputStream in, ByteArrayOutputStream to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (to) {
                        to.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // The server ended.
            }
        }, "server-log");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void awaitLog(ByteArrayOutputStream log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + LOG_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (log) {
                if (log.toString(UTF_8).contains(text)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        synchronized (log) {
            throw new AssertionError("the server's log never said " + text + ":\n" + log.toString(UTF_8));
        }
    }

    private record Result(int status, String out) {
    }
}
