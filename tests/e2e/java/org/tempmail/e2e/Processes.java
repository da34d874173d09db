package org.tempmail.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short commands (postfix, postconf, postqueue) and reports their status and output. */
final class Processes {
    private Processes() {
    }

    record Result(int status, String output) {
    }

    static Result run(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            // Commands here print little; reading to the end is what ends them.
            output = in.readAllBytes();
        }
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out after " + timeout + ": " + command);
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed, and returns its output. */
    static String check(List<String> command) throws IOException, InterruptedException {
        Result result = run(command, Duration.ofSeconds(60));
        if (result.status() != 0) {
            throw new IOException(command + " exited with " + result.status() + ": " + result.output());
        }
        return result.output();
    }

    /** Stops a process this suite started and everything it started in turn (the launcher runs java as a child). */
    static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> family = process.toHandle().descendants().toList();
        family.forEach(ProcessHandle::destroy);
        process.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle member : family) {
            while (member.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (member.isAlive()) {
                member.destroyForcibly();
            }
        }
        if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
