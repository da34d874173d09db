package org.tempmail.delivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Resubmits with {@code SENDMAIL -G -i -f SENDER -- RECIPIENT}, streaming the message to its standard input.
 * Any failure while writing kills sendmail before its input is closed, so a truncated message is never queued;
 * sendmail is also killed when it takes longer than the timeout.
 */
public final class SendmailSubmitter implements Submitter {
    /** Most bytes of sendmail's output kept for the defer reason (pipe(8) keeps 4096 bytes of ours). */
    static final int KEPT_OUTPUT = 400;

    private final Path sendmail;
    private final Duration timeout;
    private final Map<String, String> environment;

    /** sendmail inherits this process's environment. */
    public SendmailSubmitter(Path sendmail, Duration timeout) {
        this(sendmail, timeout, System.getenv());
    }

    /** sendmail gets exactly this environment (its MAIL_CONFIG names the Postfix instance it submits to). */
    public SendmailSubmitter(Path sendmail, Duration timeout, Map<String, String> environment) {
        this.sendmail = sendmail;
        this.timeout = timeout;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public void submit(String sender, String recipient, MessageWriter message) throws SubmissionException {
        if (!Files.isExecutable(sendmail)) {
            throw new SubmissionException("sendmail " + sendmail + " is missing or not executable (key SENDMAIL)");
        }
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(
                    List.of(sendmail.toString(), "-G", "-i", "-f", sender, "--", recipient)).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new SubmissionException("cannot run " + sendmail + ": " + e.getMessage());
        }
        OutputCapture output = new OutputCapture(process.getInputStream());
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = new Thread(() -> killWhenLate(process, timedOut), "sendmail-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String writeFailure = write(process, message);
            int status = waitFor(process);
            if (status == 0 && writeFailure == null) {
                // Queued, even if the watchdog fired in the same instant: deferring now would send it twice.
                return;
            }
            if (timedOut.get()) {
                throw new SubmissionException(sendmail + " did not finish within " + timeout.toSeconds()
                        + " s (key SENDMAIL_TIMEOUT) and was killed" + output.shown());
            }
            if (writeFailure != null) {
                throw new SubmissionException("writing the message to " + sendmail + " failed: " + writeFailure
                        + output.shown());
            }
            if (status > 128) {
                throw new SubmissionException(sendmail + " was killed by signal " + (status - 128) + output.shown());
            }
            if (status != 0) {
                throw new SubmissionException(sendmail + " failed with status " + status + output.shown());
            }
        } finally {
            watchdog.interrupt();
        }
    }

    /** Writes the message and closes sendmail's input; on failure kills sendmail first and says why. */
    private static String write(Process process, MessageWriter message) {
        OutputStream stdin = process.getOutputStream();
        try {
            message.writeTo(stdin);
            stdin.close();
            return null;
        } catch (IOException | RuntimeException | Error e) {
            kill(process);
            try {
                stdin.close();
            } catch (IOException ignored) {
                // sendmail is being killed; its input does not matter any more
            }
            if (e instanceof Error error) {
                throw error;
            }
            return e.getMessage() == null ? e.toString() : e.getMessage();
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
