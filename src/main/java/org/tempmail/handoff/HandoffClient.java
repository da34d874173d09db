package org.tempmail.handoff;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

/**
 * The deliver side of a hand-off: passes the message to a running {@code tempmail serve} and reports what it
 * did. Until the server has said yes nothing of the message has been read, so the caller can still deliver in
 * its own process; after that, any failure is a deferral.
 */
public final class HandoffClient {
    /**
     * The exit status and output of a delivery the server made (or that failed on the way: status 75), and what
     * only the administrator may read (empty, or why the hand-off failed: the socket's path).
     */
    public record Outcome(int status, String output, String detail) {
        public Outcome(int status, String output) {
            this(status, output, "");
        }
    }

    static final int TEMPORARY_FAILURE = 75;
    private static final Duration MARGIN = Duration.ofSeconds(30);

    private final Path socket;
    private final Duration greetingTimeout;

    public HandoffClient(Path socket, Duration greetingTimeout) {
        this.socket = socket;
        this.greetingTimeout = greetingTimeout;
    }

    /** The server's outcome, or empty when no server took the message (the message is then still unread). */
    public Optional<Outcome> deliver(HandoffRequest request, InputStream message) {
        if (!Files.exists(socket)) {
            return Optional.empty();
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            return Optional.empty();
        }
        Deadline deadline = new Deadline(channel, greetingTimeout);
        try (channel) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
            request.writeTo(out);
            out.flush();
            Optional<Duration> allowed = allowed(Netstrings.read(in, HandoffRequest.MAX_FIELD));
            if (allowed.isEmpty()) {
                return Optional.empty();
            }
            deadline.extend(allowed.get().plus(MARGIN));
            return Optional.of(finish(in, out, message));
        } catch (IOException e) {
            return Optional.empty();
        } finally {
            deadline.cancel();
        }
    }

    private Outcome finish(InputStream in, OutputStream out, InputStream message) {
        try {
            MessageFrames.send(message, out);
            out.flush();
            String status = Netstrings.read(in, 8);
            String output = Netstrings.read(in, HandoffRequest.MAX_FIELD);
            return new Outcome(Integer.parseInt(status), output);
        } catch (IOException | NumberFormatException e) {
            return new Outcome(TEMPORARY_FAILURE, "4.3.0 tempmail deliver: the delivery server failed while "
                    + "delivering\n", "the delivery server at " + socket + " failed while delivering: " + e);
        }
    }

    /**
     * Starts, on the other core, the slow parts of a first unix socket in JDK 17: the socket code looks through
     * the class path for providers (opening the jar) and sets up a SecureRandom (and with it the security
     * providers). Called before anything else, it saved about 5 ms per hand-off (README, Performance).
     */
    public static void warmUp() {
        Thread thread = new Thread(new WarmUp(), "handoff-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** A class, not a lambda: the first lambda costs its thread milliseconds of set-up. */
    private static final class WarmUp implements Runnable {
        @Override
        public void run() {
            ClassLoader.getSystemResource("META-INF/MANIFEST.MF");
            try {
                SecureRandom.getInstance("NativePRNGNonBlocking");
            } catch (NoSuchAlgorithmException e) {
                // Nothing was warmed up; the socket sets up its own.
            }
        }
    }

    /** "GO SECONDS" lets the message through, with the time the server may take; anything else declines. */
    private static Optional<Duration> allowed(String answer) {
        if (!answer.startsWith("GO ")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(answer.substring(3))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Closes the channel when the server takes too long, which ends any read or write on it. */
    private static final class Deadline implements Runnable {
        private final SocketChannel channel;
        private final Thread thread;
        private long dueNanos;
        private boolean cancelled;

        Deadline(SocketChannel channel, Duration first) {
            this.channel = channel;
            this.dueNanos = System.nanoTime() + first.toNanos();
            this.thread = new Thread(this, "handoff-deadline");
            thread.setDaemon(true);
            thread.start();
        }

        synchronized void extend(Duration allowed) {
            dueNanos = System.nanoTime() + allowed.toNanos();
            notifyAll();
        }

        synchronized void cancel() {
            cancelled = true;
            notifyAll();
        }

        @Override
        public synchronized void run() {
            try {
                long left;
                while (!cancelled && (left = dueNanos - System.nanoTime()) > 0) {
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                return;
            }
            if (!cancelled) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // Closing is the point; a failure leaves nothing else to do.
                }
            }
        }
    }
}
