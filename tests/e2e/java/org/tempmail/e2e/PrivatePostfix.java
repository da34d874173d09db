package org.tempmail.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Postfix instance of its own under a test directory, started with {@code postfix -c DIR} (recipe in
 * shared/postfix-facts.md): own queue, data directory and log file, smtpd on a free loopback port, no chroot,
 * and a maildrop domain (example.org) that virtual(8) delivers into a Maildir. The only change outside the
 * directory is this instance's entry in /etc/postfix/main.cf's alternate_config_directories, which postdrop
 * needs to accept mail that a pipe command submits with MAIL_CONFIG set; {@link #close()} takes it out again.
 */
final class PrivatePostfix implements AutoCloseable {
    static final Path POSTFIX = Path.of("/usr/sbin/postfix");
    private static final Path MAIN_CF_LOCK = Path.of("/run/lock/tempmail-e2e-main-cf.lock");
    static final String MAILDROP_DOMAIN = "example.org";
    static final String MAILDROP = "owner@example.org";

    private final Path dir;
    private final Path configDir;
    private final Path queueDir;
    private final int smtpPort;
    private final SystemUser mailboxUser;
    private final List<String> recipeLines = new ArrayList<>();
    private boolean started;
    private boolean alternateDirectoryAdded;

    /** The unprivileged user the pipe, the socketmap server and the Maildir run as. */
    record SystemUser(String name, int uid, int gid) {
        static SystemUser named(String name) throws IOException, InterruptedException {
            String[] fields = Processes.check(List.of("getent", "passwd", name)).strip().split(":");
            return new SystemUser(name, Integer.parseInt(fields[2]), Integer.parseInt(fields[3]));
        }
    }

    PrivatePostfix(Path dir, SystemUser mailboxUser) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.configDir = this.dir.resolve("conf");
        this.queueDir = this.dir.resolve("queue");
        this.mailboxUser = mailboxUser;
        this.smtpPort = freePort();
    }

    Path dir() {
        return dir;
    }

    Path configDirectory() {
        return configDir;
    }

    Path queueDirectory() {
        return queueDir;
    }

    int smtpPort() {
        return smtpPort;
    }

    Path maildir() {
        return dir.resolve("mail/owner");
    }

    Path maillog() {
        return dir.resolve("maillog");
    }

    /**
     * Writes main.cf (the recipe plus {@code mainCfLines}) and master.cf (Debian's master.cf.dist without
     * chroot, smtpd on the loopback port, plus {@code masterCfEntries}), then starts Postfix.
     */
    void start(List<String> mainCfLines, List<String> masterCfEntries) throws IOException, InterruptedException {
        Files.createDirectories(configDir);
        Files.createDirectories(queueDir);
        Path data = Files.createDirectories(dir.resolve("data"));
        Path mail = Files.createDirectories(dir.resolve("mail"));
        setOwner(data, "postfix", "postfix");
        setOwner(mail, mailboxUser.name(), null);
        for (Path path : List.of(dir, configDir, queueDir)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> main = new ArrayList<>(List.of(
                "# Private instance of the tempmail end-to-end suite. Recipe: shared/postfix-facts.md",
                "compatibility_level = 3.6",
                "queue_directory = " + queueDir,
                "data_directory = " + data,
                "maillog_file = " + maillog(),
                "maillog_file_prefixes = " + dir,
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                "myhostname = mx.e2e.test",
                "mydestination = localhost",
                "# The test client stands for a sender on the Internet, not for a trusted network.",
                "mynetworks = 192.0.2.1/32",
                "# As Debian's main.cf sets it (debconf postfix/recipient_delim).",
                "recipient_delimiter = +",
                "alias_maps =",
                "alias_database =",
                "biff = no",
                "# Nothing leaves this instance; a bounce to an outside sender fails at once.",
                "default_transport = error:5.3.0 the test instance sends no mail out",
                "# The 25 MB scenario: a site that accepts large attachments.",
                "message_size_limit = 52428800",
                "virtual_mailbox_limit = 0",
                "virtual_mailbox_domains = " + MAILDROP_DOMAIN,
                "virtual_mailbox_base = " + mail,
                "virtual_mailbox_maps = inline:{ " + MAILDROP + "=owner/ }",
                "virtual_uid_maps = static:" + mailboxUser.uid(),
                "virtual_gid_maps = static:" + mailboxUser.gid(),
                "",
                "# ---- tempmail ----"));
        recipeLines.addAll(main);
        writeMainCf(mainCfLines);
        List<String> master = new ArrayList<>(masterWithoutChroot());
        master.add("# ---- tempmail ----");
        master.addAll(masterCfEntries);
        Files.write(configDir.resolve("master.cf"), master);

        addAlternateConfigDirectory();
        Processes.check(List.of(POSTFIX.toString(), "-c", configDir.toString(), "start"));
        started = true;
    }

    /** Debian's master.cf.dist with the chroot column set to n and smtpd on this instance's loopback port. */
    private List<String> masterWithoutChroot() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/usr/share/postfix/master.cf.dist"))) {
            String[] fields = line.split("\\s+");
            if (line.isEmpty() || !Character.isLetterOrDigit(line.charAt(0)) || fields.length < 8) {
                lines.add(line);
                continue;
            }
            fields[4] = "n";
            if (fields[0].equals("smtp") && fields[1].equals("inet")) {
                fields[0] = "127.0.0.1:" + smtpPort;
            }
            lines.add(String.join("  ", fields));
        }
        return lines;
    }

    /** Replaces the tempmail lines of main.cf and reloads: another setup, same instance. */
    void reconfigure(List<String> mainCfLines) throws IOException, InterruptedException {
        writeMainCf(mainCfLines);
        reload();
    }

    private void writeMainCf(List<String> mainCfLines) throws IOException {
        List<String> main = new ArrayList<>(recipeLines);
        main.addAll(mainCfLines);
        Files.write(configDir.resolve("main.cf"), main);
    }

    void reload() throws IOException, InterruptedException {
        Processes.check(List.of(POSTFIX.toString(), "-c", configDir.toString(), "reload"));
    }

    /**
     * Submits a message with this instance's sendmail, as a local program does (pickup, cleanup, no smtpd):
     * {@code sendmail -C DIR -i -f SENDER -- RECIPIENT}.
     */
    void submitLocally(String sender, String recipient, MessageSource message)
            throws IOException, InterruptedException {
        Process sendmail = new ProcessBuilder("/usr/sbin/sendmail", "-C", configDir.toString(), "-i", "-f", sender,
                "--", recipient).redirectErrorStream(true).start();
        try (var in = sendmail.getOutputStream()) {
            message.writeTo(in);
        }
        String output = new String(sendmail.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (sendmail.waitFor() != 0) {
            throw new IOException("sendmail exited with " + sendmail.exitValue() + ": " + output);
        }
    }

    /** postqueue -f: deliver what is deferred now. */
    void flush() throws IOException, InterruptedException {
        Processes.check(List.of("/usr/sbin/postqueue", "-c", configDir.toString(), "-f"));
    }

    /** postqueue -p: the queue listing. */
    String queueListing() throws IOException, InterruptedException {
        return Processes.check(List.of("/usr/sbin/postqueue", "-c", configDir.toString(), "-p"));
    }

    boolean queueIsEmpty() throws IOException, InterruptedException {
        return queueListing().contains("Mail queue is empty");
    }

    String log() {
        try {
            return Files.exists(maillog()) ? Files.readString(maillog()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the log has a line matching {@code pattern}, and returns the match. */
    Matcher awaitLog(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher matcher = pattern.matcher(log());
            if (matcher.find()) {
                return matcher;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line matching " + pattern + " within " + timeout
                        + "; the log ends with:\n" + tail(log(), 30));
            }
            Thread.sleep(100);
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (started) {
                stopMaster();
            }
        } finally {
            if (alternateDirectoryAdded) {
                removeAlternateConfigDirectory();
            }
        }
    }

    private void stopMaster() throws IOException, InterruptedException {
        Path pidFile = queueDir.resolve("pid/master.pid");
        long pid = Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).strip()) : -1;
        Processes.run(List.of(POSTFIX.toString(), "-c", configDir.toString(), "stop"), Duration.ofSeconds(60));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            Processes.run(List.of(POSTFIX.toString(), "-c", configDir.toString(), "abort"), Duration.ofSeconds(30));
        }
        started = false;
    }

    /** Stops an instance that an earlier run of the suite left running in {@code dir} (its JVM was killed). */
    static void stopLeftover(Path dir) throws IOException, InterruptedException {
        Path conf = dir.resolve("conf");
        if (Files.exists(dir.resolve("queue/pid/master.pid")) && Files.exists(conf.resolve("main.cf"))) {
            Processes.run(List.of(POSTFIX.toString(), "-c", conf.toString(), "stop"), Duration.ofSeconds(60));
        }
    }

    /** Adds this instance to /etc/postfix/main.cf's alternate_config_directories, once. */
    private void addAlternateConfigDirectory() throws IOException, InterruptedException {
        editSystemMainCf(() -> {
            List<String> directories = alternateConfigDirectories();
            if (!directories.contains(configDir.toString())) {
                directories.add(configDir.toString());
                setAlternateConfigDirectories(directories);
            }
        });
        alternateDirectoryAdded = true;
    }

    private void removeAlternateConfigDirectory() throws IOException, InterruptedException {
        editSystemMainCf(() -> {
            List<String> directories = alternateConfigDirectories();
            if (directories.remove(configDir.toString())) {
                setAlternateConfigDirectories(directories);
            }
        });
        alternateDirectoryAdded = false;
    }

    /** A read, change and write of the system main.cf. */
    private interface MainCfEdit {
        void run() throws IOException, InterruptedException;
    }

    /** Runs the edit under a lock, so suites running at once (two checkouts) do not drop each other's entry. */
    private static void editSystemMainCf(MainCfEdit edit) throws IOException, InterruptedException {
        try (FileChannel lockFile = FileChannel.open(MAIN_CF_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            edit.run();
        }
    }

    /** The value set in /etc/postfix/main.cf, not the default: postconf -n prints only what is set. */
    private static List<String> alternateConfigDirectories() throws IOException, InterruptedException {
        String value = Processes.check(List.of("postconf", "-n", "-h", "alternate_config_directories")).strip();
        return new ArrayList<>(Arrays.stream(value.split("[\\s,]+")).filter(s -> !s.isEmpty()).toList());
    }

    private static void setAlternateConfigDirectories(List<String> directories)
            throws IOException, InterruptedException {
        if (directories.isEmpty()) {
            Processes.check(List.of("postconf", "-X", "alternate_config_directories"));
        } else {
            Processes.check(List.of("postconf", "-e",
                    "alternate_config_directories = " + directories.stream().collect(Collectors.joining(" "))));
        }
    }

    static void setOwner(Path path, String user, String group) throws IOException {
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (user != null) {
            UserPrincipal owner = lookup.lookupPrincipalByName(user);
            view.setOwner(owner);
        }
        if (group != null) {
            GroupPrincipal owningGroup = lookup.lookupPrincipalByGroupName(group);
            view.setGroup(owningGroup);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
