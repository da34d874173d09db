package org.tempmail.delivery;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Resubmits with {@code SENDMAIL -G -i -f SENDER -- RECIPIENT}. The message is first written whole to a spool
 * file, and only then is sendmail started, reading that file as its standard input: sendmail queues whatever it
 * has read when its input ends, so whichever process dies at whatever byte, sendmail either never starts or
 * reads the complete message (the file stays readable to it even after its writer is gone). sendmail is killed
 * when it takes longer than the timeout.
 */
public final class SendmailSubmitter implements Submitter {
    /** Most bytes of sendmail's output kept for the defer reason (pipe(8) keeps 4096 bytes of ours). */
    static final int KEPT_OUTPUT = 400;
    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path sendmail;
    private final Duration timeout;
    private final Spool spool;
    private final Map<String, String> environment;
    private final Runnable whenSpooled;

    /** sendmail inherits this process's environment. */
    public SendmailSubmitter(Path sendmail, Duration timeout, Spool spool) {
        this(sendmail, timeout, spool, System.getenv());
    }

    /** sendmail gets exactly this environment (its MAIL_CONFIG names the Postfix instance it submits to). */
    public SendmailSubmitter(Path sendmail, Duration timeout, Spool spool, Map<String, String> environment) {
        this(sendmail, timeout, spool, environment, () -> { });
    }

    /** {@code whenSpooled} runs once the message is spooled whole, before sendmail is waited for. */
    public SendmailSubmitter(Path sendmail, Duration timeout, Spool spool, Map<String, String> environment,
            Runnable whenSpooled) {
        this.sendmail = sendmail;
        this.timeout = timeout;
        this.spool = spool;
        this.environment = Map.copyOf(environment);
        this.whenSpooled = whenSpooled;
    }

    @Override
    public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
        if (!Files.isExecutable(sendmail)) {
            throw new SubmissionException("sendmail is missing or not executable (key SENDMAIL)",
                    sendmail + " is missing or not executable (key SENDMAIL)");
        }
        Path spooled = spoolFile();
        try {
            spoolMessage(message, spooled);
            whenSpooled.run();
            run(sender, recipient, spooled);
        } finally {
            delete(spooled);
        }
    }

    private Path spoolFile() throws SubmissionException {
        try {
            return spool.newFile();
        } catch (IOException e) {
            // The reason names the directory, and so does a FileSystemException's message: not for the sender.
            String reason = e instanceof FileSystemException f && f.getReason() != null
                    ? f.getFile() + ": " + f.getReason() : String.valueOf(e.getMessage());
            throw new SubmissionException("cannot spool the message (key SPOOL_DIRECTORY)",
                    "spool directory " + spool.directory() + ": " + reason);
        }
    }

    /** The whole message, or an exception: reading the message may fail too (an input that ends too soon). */
    private static void spoolMessage(MessageWriter message, Path spooled) throws SubmissionException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spooled), BUFFER_SIZE)) {
            message.writeTo(out);
        } catch (IOException e) {
            throw new SubmissionException("the message was not read or spooled whole, nothing was submitted",
                    "reading the message or writing " + spooled + " failed: "
                            + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    private void run(String sender, String recipient, Path spooled) throws SubmissionException {
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    List.of(sendmail.toString(), "-G", "-i", "-f", sender, "--", recipient)).redirectErrorStream(true)
                    .redirectInput(spooled.toFile());
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new SubmissionException("cannot run sendmail (key SENDMAIL)",
                    "cannot run " + sendmail + ": " + e.getMessage());
        }
        // sendmail holds the file open: its name can go now, so a kill of this process leaves nothing behind.
        delete(spooled);
        OutputCapture output = new OutputCapture(process.getInputStream());
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = new Thread(() -> killWhenLate(process, timedOut), "sendmail-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            int status = waitFor(process);
            if (status == 0) {
                // Queued, even if the watchdog fired in the same instant: deferring now would send it twice.
                return;
            }
            // What sendmail said names paths, the MAILDROP and Postfix's own state: for the administrator only.
            String what;
            if (timedOut.get()) {
                what = "did not finish within " + timeout.toSeconds() + " s (key SENDMAIL_TIMEOUT) and was killed";
            } else if (status > 128) {
                what = "was killed by signal " + (status - 128);
            } else {
                what = "failed with status " + status;
            }
            throw new SubmissionException("sendmail " + what, sendmail + " " + what + output.shown());
        } finally {
            watchdog.interrupt();
        }
    }

    private static void delete(Path spooled) {
        try {
            Files.deleteIfExists(spooled);
        } catch (IOException e) {
            // Left behind; the next delivery in this directory removes it once this process is gone.
        }
    }

    private static int waitFor(Process process) throws SubmissionException {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new SubmissionException("interrupted while waiting for sendmail");
        }
    }

    private void killWhenLate(Process process, AtomicBoolean timedOut) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut.set(true);
                kill(process);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Kills sendmail and whatever it started: a wrapper script's child would otherwise keep the input pipe open
     * and the write blocked past the timeout.
     */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads sendmail's output as it comes (so sendmail never blocks on it) and keeps its start. */
    private static final class OutputCapture {
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final Thread reader;

        OutputCapture(InputStream in) {
            reader = new Thread(() -> drain(in), "sendmail-output");
            reader.setDaemon(true);
            reader.start();
        }

        private void drain(InputStream in) {
            byte[] buffer = new byte[4096];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        kept.write(buffer, 0, Math.min(n, Math.max(0, KEPT_OUTPUT - kept.size())));
                    }
                }
            } catch (IOException ignored) {
                // sendmail went away; what it said so far is all there is
            }
        }

        /** ": what sendmail said", on one line, or nothing when it said nothing. */
        String shown() {
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String text;
            synchronized (kept) {
                text = kept.toString(StandardCharsets.UTF_8);
            }
            text = text.replaceAll("\\p{Cntrl}+", " ").strip();
            return text.isEmpty() ? "" : ": " + text;
        }
    }
}
