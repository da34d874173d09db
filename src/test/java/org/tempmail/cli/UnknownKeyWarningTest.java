package org.tempmail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A misspelt key in tempmail.cf is ignored, so the administrator must hear of it where they look: the running
 * server's log, at start and at every reload, with the key meant. A real serve process, edited while it runs.
 */
class UnknownKeyWarningTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void theServerWarnsOfAMisspeltKeyAtStartAndAtEachReloadWithTheKeyMeant() throws Exception {
        Path config = dir.resolve("tempmail.cf");
        write(config, 8);
        String java = ProcessHandle.current().info().command().orElse("java");
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "org.tempmail.cli.Main", "--config", config.toString(), "serve").redirectErrorStream(true).start();
        String warning = "tempmail serve: warning: " + config + ":5: SUBJCT_TAG: unknown key, ignored; did you mean "
                + "SUBJECT_TAG?";
        try (BufferedReader log = new BufferedReader(new InputStreamReader(server.getInputStream(), UTF_8))) {
            List<String> start = linesUntil(log, "tempmail serve: listening on ");
            assertTrue(start.contains(warning), "at start: " + start);

            write(config, 9);
            List<String> firstReload = linesUntil(log, "tempmail serve: reloaded ");
            List<String> afterIt = linesUntil(log, "SUBJCT_TAG");
            assertEquals(warning, afterIt.get(afterIt.size() - 1), "after the edit: " + firstReload + afterIt);

            new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
            linesUntil(log, "tempmail serve: reloaded ");
            List<String> afterHangup = linesUntil(log, "SUBJCT_TAG");
            assertEquals(warning, afterHangup.get(afterHangup.size() - 1), "after SIGHUP: " + afterHangup);
        } finally {
            server.destroy();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS));
        }
    }

    /** A working file with a misspelt SUBJECT_TAG on line 5; replaced by rename, as editors do. */
    private void write(Path config, int length) throws IOException {
        Path next = dir.resolve("tempmail.cf.new");
        Files.write(next, List.of("SHARED_SECRET=\"unknown key warning test\"", "DOMAIN=temp.example.org",
                "MAILDROP=owner@example.org", "LENGTH=" + length, "SUBJCT_TAG=[temp]", "SOCKETMAP_SOCKET_TYPE=unix",
                "SOCKETMAP_UNIX_SOCKET_PATH=" + dir.resolve("socketmap"), "DATABASE=" + dir.resolve("none.db")));
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-------"));
        Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The server's lines up to and including the first that contains {@code text}. */
    private static List<String> linesUntil(BufferedReader log, String text) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            lines.add(line);
            if (line.contains(text)) {
                return lines;
            }
        }
        throw new AssertionError("the server ended before saying " + text + ": " + lines);
    }
}
