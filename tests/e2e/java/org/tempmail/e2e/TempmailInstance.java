package org.tempmail.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.ConfigLoader;
import org.tempmail.config.Config;
import org.tempmail.testsupport.RequiredTool;

/**
 * A private Postfix instance wired to tempmail from the shipped example files, with {@code tempmail serve}
 * running beside it: everything an end-to-end scenario sends mail through.
 */
final class TempmailInstance implements AutoCloseable {
    /** The unprivileged user that stands in for the "tempmail" user of the install guide. */
    static final String UNPRIVILEGED_USER = "nobody";
    static final Path JAR = ExampleFiles.REPOSITORY.resolve("target/tempmail.jar");
    /**
     * Where the instances live: outside the checkout, because Postfix's own users and the unprivileged user must
     * reach every file there, and a checkout may sit in a directory closed to them (such as /root).
     */
    static final Path BASE = Path.of(System.getProperty("java.io.tmpdir"), "tempmail-e2e");

    /** Which setup of main.cf.example the instance runs. */
    enum Setup {
        /** Setup 1: relay class, recipient validation at RCPT TO, the pipe transport. */
        RELAY,
        /** Setup 2: postfix-tempmail's virtual alias class. */
        VIRTUAL_ALIAS,
        /** Setup 1 with LMTP to tempmail serve instead of the pipe, as postfix-config prints it. */
        LMTP
    }

    /** TRANSPORT for the LMTP setup: the socket relative to the queue directory, as tempmail.cf.example says. */
    static final String LMTP_TRANSPORT = "lmtp:unix:tempmail/lmtp";

    final PrivatePostfix postfix;
    final TempmailServer server;
    final Maildir maildir;
    final Path config;
    private final Path launcher;
    private final String configText;
    /** With Setup.LMTP: the port of the reinjection smtpd in master.cf (for LMTP_REINJECT), else 0. */
    int reinjectPort;

    private TempmailInstance(PrivatePostfix postfix, TempmailServer server, Path launcher, Path config,
            String configText) {
        this.postfix = postfix;
        this.server = server;
        this.launcher = launcher;
        this.config = config;
        this.configText = configText;
        this.maildir = new Maildir(postfix.maildir());
    }

    /** Skips, or fails in CI, where a real Postfix cannot be run. */
    static void requireRealPostfix() throws IOException, InterruptedException {
        RequiredTool.require(Processes.check(List.of("id", "-u")).strip().equals("0"),
                "root: postfix -c DIR start needs it (run the suite as root, as .ci/run does)");
        RequiredTool.requireExecutable(PrivatePostfix.POSTFIX.toString(), "Debian's postfix package");
        RequiredTool.requireExecutable("/usr/bin/setpriv", "util-linux");
        RequiredTool.require(Files.isRegularFile(JAR), JAR + " (built by mvn package, before this suite runs)");
    }

    static TempmailInstance start(String name, Setup setup) throws IOException, InterruptedException {
        PrivatePostfix.SystemUser user = PrivatePostfix.SystemUser.named(UNPRIVILEGED_USER);
        Path dir = BASE.resolve(name);
        TempmailServer.stopLeftover(dir);
        PrivatePostfix.stopLeftover(dir);
        deleteRecursively(dir);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(BASE, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path launcher = installLauncher(dir.resolve("bin"));
        PrivatePostfix postfix = new PrivatePostfix(dir, user);
        Path socket = postfix.queueDirectory().resolve("tempmail/socketmap");
        Path config = dir.resolve("tempmail.cf");
        // The state directory, as tempmail.service's StateDirectory= makes /var/lib/tempmail for its user.
        Path state = dir.resolve("state");
        Processes.check(List.of("/usr/bin/install", "-d", "-o", user.name(), "-g", String.valueOf(user.gid()),
                "-m", "0770", state.toString()));
        // The runtime directory, as tempmail.service's RuntimeDirectory= makes /run/tempmail for its user.
        Path runtime = dir.resolve("run");
        Processes.check(List.of("/usr/bin/install", "-d", "-o", user.name(), "-g", String.valueOf(user.gid()),
                "-m", "0750", runtime.toString()));
        String configText = ExampleFiles.tempmailCf(socket, state.resolve("tempmail.db"),
                runtime.resolve("deliver.socket"));
        if (setup == Setup.LMTP) {
            configText = ExampleFiles.replaceKey(configText, "LMTP_LISTEN",
                    "unix:" + postfix.queueDirectory().resolve("tempmail/lmtp"));
            configText = ExampleFiles.replaceKey(configText, "TRANSPORT", LMTP_TRANSPORT);
        }
        TempmailServer server = new TempmailServer(launcher, config, socket, dir.resolve("serve.log"), user);
        if (setup == Setup.LMTP) {
            // The server's own sendmail submits to this instance (deliver processes pass theirs on instead).
            server.setEnvironment(java.util.Map.of("MAIL_CONFIG", postfix.configDirectory().toString()));
        }
        TempmailInstance instance = new TempmailInstance(postfix, server, launcher, config, configText);
        try {
            instance.writeConfig(configText);
            // Install guide step 4: the tempmail user creates the capability database it will be expected in.
            instance.tempmail("init");
            Files.createDirectories(postfix.queueDirectory());
            TempmailServer.createSocketDirectory(socket, user);
            server.start();
            // The pipe entry is there in both setups; Setup 2 simply never routes mail to it.
            List<String> mainCf = setup == Setup.LMTP ? instance.postfixConfigLines() : mainCfLines(setup);
            List<String> master = new java.util.ArrayList<>(ExampleFiles.masterEntry(launcher, config, user.name()));
            if (setup == Setup.LMTP) {
                instance.reinjectPort = freePort();
                master.addAll(reinjectionEntry(instance.reinjectPort));
            }
            postfix.start(mainCf, master);
            return instance;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            instance.close();
            throw e;
        }
    }

    private static List<String> mainCfLines(Setup setup) {
        if (setup == Setup.VIRTUAL_ALIAS) {
            return ExampleFiles.virtualAliasSetup();
        }
        List<String> lines = ExampleFiles.relaySetup();
        if (!lines.contains(ExampleFiles.transportLine())) {
            throw new IllegalStateException("transport.example and main.cf.example disagree");
        }
        return lines;
    }

    /** A reinjection smtpd on loopback, as postfix-config prints it for LMTP_REINJECT (FILTER_README). */
    static List<String> reinjectionEntry(int port) {
        return List.of("127.0.0.1:" + port + " inet n - n - - smtpd",
                "  -o content_filter=",
                "  -o receive_override_options=no_unknown_recipient_checks,no_header_body_checks,no_milters",
                "  -o smtpd_client_restrictions=",
                "  -o smtpd_helo_restrictions=",
                "  -o smtpd_sender_restrictions=",
                "  -o smtpd_relay_restrictions=permit_mynetworks,reject",
                "  -o smtpd_recipient_restrictions=permit_mynetworks,reject",
                "  -o mynetworks=127.0.0.0/8");
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The main.cf lines tempmail postfix-config prints for this instance's tempmail.cf (its active lines). */
    private List<String> postfixConfigLines() throws IOException, InterruptedException {
        List<String> lines = Processes.check(List.of(launcher.toString(), "--config", config.toString(),
                "postfix-config", "--queue-directory", postfix.queueDirectory().toString())).lines()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        if (!lines.contains("transport_maps = inline:{ temp.example.org=" + LMTP_TRANSPORT + " }")) {
            throw new IllegalStateException("postfix-config printed no LMTP transport: " + lines);
        }
        return lines;
    }

    /** Switches the running instance to another setup (LMTP only where it was started with LMTP_LISTEN). */
    void use(Setup setup) throws IOException, InterruptedException {
        postfix.reconfigure(setup == Setup.LMTP ? postfixConfigLines() : mainCfLines(setup));
    }

    /** Writes tempmail.cf as the install guide has it: root's, readable by the tempmail user's group only. */
    void writeConfig(String text) throws IOException, InterruptedException {
        Files.writeString(config, text);
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r-----"));
        PrivatePostfix.setOwner(config, "root", groupOf(UNPRIVILEGED_USER));
    }

    /** Points SENDMAIL at another program, for fault injection; {@link #restoreConfig()} undoes it. */
    void useSendmail(Path sendmail) throws IOException, InterruptedException {
        writeConfig(ExampleFiles.replaceKey(configText, "SENDMAIL", sendmail.toString()));
    }

    /** Edits one key of tempmail.cf as an administrator would, the server running; {@link #restoreConfig()} undoes it. */
    void editConfig(String key, String value) throws IOException, InterruptedException {
        writeConfig(ExampleFiles.replaceKey(configText, key, value));
    }

    /** The same, with the lines setting {@code removed} keys taken out. */
    void editConfig(String key, String value, List<String> removed) throws IOException, InterruptedException {
        String text = ExampleFiles.replaceKey(configText, key, value);
        for (String gone : removed) {
            text = text.replaceAll("(?m)^" + gone + "=.*\n", "");
        }
        writeConfig(text);
    }

    void restoreConfig() throws IOException, InterruptedException {
        writeConfig(configText);
    }

    /** Runs a tempmail command as the unprivileged user, as an administrator does with runuser; returns stdout. */
    String tempmail(String... args) throws IOException, InterruptedException {
        Run run = run(args);
        if (run.status() != 0) {
            throw new IOException("tempmail " + String.join(" ", args) + " exited with " + run.status() + ": "
                    + run.err());
        }
        return run.out();
    }

    /** How a tempmail command ended: its exit status and what it wrote. */
    record Run(int status, String out, String err) {
    }

    /** Runs a tempmail command as the unprivileged user, whatever its exit status. */
    Run run(String... args) throws IOException, InterruptedException {
        PrivatePostfix.SystemUser user = PrivatePostfix.SystemUser.named(UNPRIVILEGED_USER);
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + user.uid(),
                "--regid=" + user.gid(), "--clear-groups", "--", launcher.toString(), "--config",
                config.toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(postfix.dir(), "command", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(err.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
            int status = process.waitFor();
            String errors = Files.readString(err);
            Files.writeString(postfix.dir().resolve("commands.log"), errors, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            return new Run(status, out, errors);
        } finally {
            Files.delete(err);
        }
    }

    Config loadedConfig() throws Exception {
        return ConfigLoader.load(config);
    }

    /** The temporary address of a day, as tempmail addresses prints it. */
    String addressOf(LocalDate day) throws Exception {
        return DatedAddressResolver.from(loadedConfig().addresses()).addressOf(day);
    }

    LocalDate today() throws Exception {
        return LocalDate.ofInstant(Instant.now(), loadedConfig().addresses().zone());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            server.close();
        } finally {
            postfix.close();
        }
    }

    /**
     * This checkout's launcher and jar, side by side as install guide step 2 puts them, with the class-data archive
     * its warm-up makes as root (the unprivileged user cannot write there); returns the launcher.
     */
    private static Path installLauncher(Path bin) throws IOException, InterruptedException {
        Files.createDirectories(bin);
        Path launcher = bin.resolve("tempmail");
        Files.copy(ExampleFiles.REPOSITORY.resolve("bin/tempmail"), launcher);
        Files.copy(JAR, bin.resolve("tempmail.jar"));
        Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(bin.resolve("tempmail.jar"), PosixFilePermissions.fromString("rw-r--r--"));
        String example = ExampleFiles.REPOSITORY.resolve("tempmail.cf.example").toString();
        Processes.check(List.of("/bin/sh", "-c", "r=$(\"$0\" --config \"$1\" addresses 2>/dev/null | head -n 1) && "
                + "printf 'Subject: warm-up\\n\\nx\\n' | \"$0\" --config \"$1\" replay --dry-run --sender '' "
                + "--recipient \"$r\" - >/dev/null 2>&1", launcher.toString(), example));
        return launcher;
    }

    private static String groupOf(String user) throws IOException, InterruptedException {
        return Processes.check(List.of("id", "-gn", user)).strip();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
