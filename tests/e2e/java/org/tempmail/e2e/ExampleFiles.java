package org.tempmail.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shipped example files, read from the repository as an administrator would copy them. The suite runs
 * exactly these lines; it changes only what must differ in a private instance, and nothing else:
 * <ul>
 * <li>tempmail.cf.example: SOCKETMAP_SOCKET_TYPE=unix (the install guide's change for a mail server),
 * SOCKETMAP_UNIX_SOCKET_PATH moved from /var/spool/postfix to the private queue directory, and DATABASE in a
 * directory the unprivileged user may write, as the install guide's /var/lib/tempmail. DOMAIN
 * (temp.example.org), MAILDROP (owner@example.org) and the secret stay: the private instance delivers
 * example.org into a Maildir of its own.</li>
 * <li>main.cf.example: nothing. Its socket name is relative to the queue directory, so it holds for the private
 * queue directory as it does for /var/spool/postfix.</li>
 * <li>master.cf.example: the launcher /usr/local/bin/tempmail becomes this checkout's bin/tempmail, the
 * configuration /etc/postfix/tempmail.cf the private one, and user=tempmail an existing unprivileged user.</li>
 * </ul>
 */
final class ExampleFiles {
    static final String INSTALLED_LAUNCHER = "/usr/local/bin/tempmail";
    static final String INSTALLED_CONFIG = "/etc/postfix/tempmail.cf";
    static final String INSTALLED_USER = "tempmail";
    static final Path REPOSITORY = Path.of("").toAbsolutePath();

    private ExampleFiles() {
    }

    static Path file(String name) {
        return REPOSITORY.resolve(name);
    }

    /** tempmail.cf.example as the install guide has the administrator adapt it, with private paths. */
    static String tempmailCf(Path socket, Path database, Path deliverySocket) {
        String text = read("tempmail.cf.example");
        text = replaceKey(text, "SOCKETMAP_SOCKET_TYPE", "unix");
        text = replaceKey(text, "DATABASE", database.toString());
        text = replaceKey(text, "DELIVERY_SOCKET", deliverySocket.toString());
        return replaceKey(text, "SOCKETMAP_UNIX_SOCKET_PATH", socket.toString());
    }

    /** Sets KEY=value in a tempmail.cf text; the key must be there already. */
    static String replaceKey(String text, String key, String value) {
        Matcher matcher = Pattern.compile("(?m)^#?" + key + "=.*$").matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("tempmail.cf.example has no line for " + key);
        }
        return matcher.replaceFirst(Matcher.quoteReplacement(key + "=" + value));
    }

    /** Setup 1 of main.cf.example: its lines that are not comments. */
    static List<String> relaySetup() {
        return read("main.cf.example").lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    /** Setup 2 of main.cf.example: its commented-out parameter lines, uncommented. */
    static List<String> virtualAliasSetup() {
        return read("main.cf.example").lines().filter(l -> l.matches("#[a-z_]+ = .*")).map(l -> l.substring(1))
                .toList();
    }

    /** The one line of transport.example. */
    static String transportLine() {
        List<String> lines = read("transport.example").lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        if (lines.size() != 1) {
            throw new IllegalStateException("transport.example should hold one line, has " + lines);
        }
        return lines.get(0);
    }

    /** The pipe entry of master.cf.example, with this checkout's launcher, the given config and user. */
    static List<String> masterEntry(Path launcher, Path config, String user) {
        List<String> entry = new ArrayList<>();
        for (String line : read("master.cf.example").lines().filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList()) {
            entry.add(line.replace("argv=" + INSTALLED_LAUNCHER + " ", "argv=" + launcher + " ")
                    .replace("--config " + INSTALLED_CONFIG + " ", "--config " + config + " ")
                    .replace(" user=" + INSTALLED_USER + " ", " user=" + user + " "));
        }
        String joined = String.join("\n", entry);
        if (!joined.contains(launcher.toString()) || !joined.contains(config.toString())
                || !joined.contains("user=" + user)) {
            throw new IllegalStateException("master.cf.example no longer names " + INSTALLED_LAUNCHER + ", "
                    + INSTALLED_CONFIG + " and user=" + INSTALLED_USER + ": " + joined);
        }
        return entry;
    }

    private static String read(String name) {
        try {
            return Files.readString(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
