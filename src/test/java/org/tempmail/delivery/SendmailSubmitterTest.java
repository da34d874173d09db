package org.tempmail.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs fake sendmail scripts for each way sendmail can fail; the real one is exercised end to end elsewhere. */
class SendmailSubmitterTest {
    private static final Duration SHORT = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    @Test
    void passesTheEnvelopeAsArgumentsAndTheMessageOnStdin() throws Exception {
        Path sendmail = script("printf '%s\\n' \"$@\" > " + dir.resolve("args") + "\ncat > " + dir.resolve("in"));
        new SendmailSubmitter(sendmail, SHORT).submit("", "-owner@example.org", out -> out.write("msg\0\n".getBytes(UTF_8)));
        assertEquals("-G\n-i\n-f\n\n--\n-owner@example.org\n", Files.readString(dir.resolve("args")));
        assertEquals("msg\0\n", Files.readString(dir.resolve("in")));
    }

    @Test
    void missingSendmailDefers() {
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> new SendmailSubmitter(dir.resolve("nope"), SHORT).submit("a@b", "c@d", out -> { }));
        assertTrue(e.getMessage().contains("missing or not executable (key SENDMAIL)"), e.getMessage());
    }

    @Test
    void failingSendmailDefersWithWhatItSaid() throws Exception {
        for (int status : new int[] {75, 1}) {
            Path sendmail = script("cat >/dev/null\necho 'sendmail: fatal: no such file' >&2\nexit " + status);
            SubmissionException e = assertThrows(SubmissionException.class,
                    () -> new SendmailSubmitter(sendmail, SHORT).submit("a@b", "c@d", this::smallMessage));
            assertEquals(sendmail + " failed with status " + status + ": sendmail: fatal: no such file",
                    e.getMessage());
        }
    }

    @Test
    void sendmailTooSlowIsKilled() throws Exception {
        Path sendmail = script("exec sleep 30");
        long start = System.nanoTime();
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> new SendmailSubmitter(sendmail, SHORT).submit("a@b", "c@d", this::smallMessage));
        assertTrue(e.getMessage().contains("did not finish within 1 s (key SENDMAIL_TIMEOUT) and was killed"),
                e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void sendmailThatStopsReadingIsKilledToo() throws Exception {
        Path sendmail = script("exec sleep 30");
        SubmissionException e = assertThrows(SubmissionException.class, () -> new SendmailSubmitter(sendmail, SHORT)
                .submit("a@b", "c@d", out -> out.write(new byte[4 * 1024 * 1024])));
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
    }

    @Test
    void aWrapperScriptsChildIsKilledWithItSoTheTimeoutHolds() throws Exception {
        Path sendmail = script("sleep 30");
        long start = System.nanoTime();
        SubmissionException e = assertThrows(SubmissionException.class, () -> new SendmailSubmitter(sendmail, SHORT)
                .submit("a@b", "c@d", out -> out.write(new byte[4 * 1024 * 1024])));
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the child kept the input open");
    }

    @Test
    void sendmailKilledBySignalDefers() throws Exception {
        Path sendmail = script("cat >/dev/null\nkill -KILL $$");
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> new SendmailSubmitter(sendmail, SHORT).submit("a@b", "c@d", this::smallMessage));
        assertEquals(sendmail + " was killed by signal 9", e.getMessage());
    }

    @Test
    void failureWhileWritingKillsSendmailBeforeItSeesTheEnd() throws Exception {
        Path done = dir.resolve("queued");
        Path sendmail = script("cat > " + dir.resolve("partial") + " && touch " + done);
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> new SendmailSubmitter(sendmail, Duration.ofSeconds(5)).submit("a@b", "c@d", out -> {
                    out.write("From: a@b\n\npart".getBytes(UTF_8));
                    out.flush();
                    throw new IOException("input ended early");
                }));
        assertTrue(e.getMessage().contains("input ended early"), e.getMessage());
        Thread.sleep(200);
        assertTrue(Files.notExists(done), "sendmail must not see a normal end of input");
    }

    private void smallMessage(OutputStream out) throws IOException {
        out.write("Subject: x\n\nbody\n".getBytes(UTF_8));
    }

    private Path script(String body) throws IOException {
        Path path = Files.createTempFile(dir, "sendmail", ".sh");
        Files.writeString(path, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }
}
