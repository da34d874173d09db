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
import java.util.List;
import java.util.stream.Stream;
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
        submitter(sendmail, SHORT).submit("", "-owner@example.org", out -> out.write("msg\0\n".getBytes(UTF_8)));
        assertEquals("-G\n-i\n-f\n\n--\n-owner@example.org\n", Files.readString(dir.resolve("args")));
        assertEquals("msg\0\n", Files.readString(dir.resolve("in")));
    }

    @Test
    void missingSendmailDefers() {
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> submitter(dir.resolve("nope"), SHORT).submit("a@b", "c@d", out -> { }));
        assertTrue(e.getMessage().contains("missing or not executable (key SENDMAIL)"), e.getMessage());
    }

    @Test
    void failingSendmailDefersWithWhatItSaid() throws Exception {
        for (int status : new int[] {75, 1}) {
            Path sendmail = script("cat >/dev/null\necho 'sendmail: fatal: no such file' >&2\nexit " + status);
            SubmissionException e = assertThrows(SubmissionException.class,
                    () -> submitter(sendmail, SHORT).submit("a@b", "c@d", this::smallMessage));
            assertEquals("sendmail failed with status " + status, e.getMessage(), "for the sender: no path, no words");
            assertEquals(sendmail + " failed with status " + status + ": sendmail: fatal: no such file",
                    e.detail());
        }
    }

    @Test
    void sendmailTooSlowIsKilled() throws Exception {
        Path sendmail = script("exec sleep 30");
        long start = System.nanoTime();
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> submitter(sendmail, SHORT).submit("a@b", "c@d", this::smallMessage));
        assertTrue(e.getMessage().contains("did not finish within 1 s (key SENDMAIL_TIMEOUT) and was killed"),
                e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    @Test
    void sendmailThatStopsReadingIsKilledToo() throws Exception {
        Path sendmail = script("exec sleep 30");
        SubmissionException e = assertThrows(SubmissionException.class, () -> submitter(sendmail, SHORT)
                .submit("a@b", "c@d", out -> out.write(new byte[4 * 1024 * 1024])));
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
    }

    @Test
    void aWrapperScriptsChildIsKilledWithItSoTheTimeoutHolds() throws Exception {
        Path sendmail = script("sleep 30");
        long start = System.nanoTime();
        SubmissionException e = assertThrows(SubmissionException.class, () -> submitter(sendmail, SHORT)
                .submit("a@b", "c@d", out -> out.write(new byte[4 * 1024 * 1024])));
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the child kept the input open");
    }

    @Test
    void sendmailKilledBySignalDefers() throws Exception {
        Path sendmail = script("cat >/dev/null\nkill -KILL $$");
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> submitter(sendmail, SHORT).submit("a@b", "c@d", this::smallMessage));
        assertEquals("sendmail was killed by signal 9", e.getMessage());
        assertEquals(sendmail + " was killed by signal 9", e.detail());
    }

    @Test
    void aMessageThatFailsAtAnyByteNeverStartsSendmail() throws Exception {
        Path calls = dir.resolve("calls");
        Path sendmail = script("echo started >> " + calls + "\ncat > /dev/null");
        byte[] message = ("From: a@b\nSubject: x\n\n" + "body line\n".repeat(20_000)).getBytes(UTF_8);
        for (int offset = 0; offset < message.length; offset += 1 + offset / 3) {
            int cut = offset;
            SubmissionException e = assertThrows(SubmissionException.class, () -> submitter(sendmail, SHORT)
                    .submit("a@b", "c@d", out -> {
                        out.write(message, 0, cut);
                        throw new IOException("connection closed inside the message");
                    }));
            assertTrue(e.getMessage().contains("nothing was submitted"), e.getMessage());
            assertTrue(Files.notExists(calls), "sendmail started for a message cut at byte " + cut);
            assertEquals(List.of(), spooled(), "spool file left behind after a cut at byte " + cut);
        }
        submitter(sendmail, SHORT).submit("a@b", "c@d", out -> out.write(message));
        assertEquals(List.of("started"), Files.readAllLines(calls));
        assertEquals(List.of(), spooled());
    }

    @Test
    void sendmailReadsTheWholeMessageEvenWhenItsWriterIsGone() throws Exception {
        // The spool file's name is gone before sendmail reads: only its open descriptor holds the message.
        Path sendmail = script("sleep 0.3\ncat > " + dir.resolve("in"));
        byte[] message = ("Subject: x\n\n" + "y".repeat(300_000)).getBytes(UTF_8);
        submitter(sendmail, Duration.ofSeconds(10)).submit("a@b", "c@d", out -> out.write(message));
        assertEquals(new String(message, UTF_8), Files.readString(dir.resolve("in")));
        assertEquals(List.of(), spooled());
    }

    @Test
    void aSpoolDirectoryOthersMayEnterIsRefused() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sendmail = script("cat > /dev/null");
        SubmissionException e = assertThrows(SubmissionException.class,
                () -> new SendmailSubmitter(sendmail, SHORT, new Spool(open)).submit("a@b", "c@d", this::smallMessage));
        assertEquals("cannot spool the message (key SPOOL_DIRECTORY)", e.getMessage());
        assertEquals("spool directory " + open + ": the spool directory must be a directory owned by "
                + System.getProperty("user.name") + " with mode 0700", e.detail());
    }

    @Test
    void filesOfProcessesThatDiedWhileSpoolingAreRemoved() throws Exception {
        Spool spool = new Spool(dir.resolve("spool"));
        Files.delete(spool.newFile());
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path orphan = Files.createFile(spool.directory().resolve(gone.pid() + "-1.msg"));
        // The next process to spool there, or a server's spool when it checks again (once a minute).
        Path ours = new Spool(spool.directory()).newFile();
        assertTrue(Files.notExists(orphan), "orphan of a dead process kept");
        assertTrue(Files.exists(ours), "a live process's file removed");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ours)));
    }

    private SendmailSubmitter submitter(Path sendmail, Duration timeout) {
        return new SendmailSubmitter(sendmail, timeout, new Spool(dir.resolve("spool")));
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("spool"))) {
            return files.toList();
        }
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
