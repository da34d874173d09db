package org.tempmail.lmtp.server;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardSocketOptions;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.tempmail.lmtp.Reply;
import org.tempmail.socketmap.EssentialThread;
import org.tempmail.socketmap.ListeningSocket;

/**
 * Takes mail from Postfix's lmtp(8) client, one thread per session. Sessions are bounded (one past the limit
 * gets 421 and is closed, and Postfix tries again later), and so are the deliveries that examine a message
 * header at once; a session whose client sends nothing for the timeout is closed.
 */
public final class LmtpServer implements AutoCloseable {
    /**
     * {@code maxSessions}: sessions at once; {@code maxDeliveries}: deliveries examining a header at once
     * (memory); {@code session}: what each session may take.
     */
    public record Limits(int maxSessions, int maxDeliveries, SessionLimits session) {
    }

    private static final long WATCH_INTERVAL_MILLIS = 500;

    private final ListeningSocket listener;
    private final String hostname;
    private final LmtpDeliveries deliveries;
    private final Limits limits;
    private final Consumer<String> log;
    private final Semaphore sessionSlots;
    private final Semaphore deliveryPermits;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong numbers = new AtomicLong();
    private final Thread acceptor;
    private final Thread watchdog;
    private volatile boolean closing;

    public LmtpServer(ListeningSocket listener, String hostname, LmtpDeliveries deliveries, Limits limits,
            Consumer<String> log) {
        this.listener = listener;
        this.hostname = hostname;
        this.deliveries = deliveries;
        this.limits = limits;
        this.log = log;
        this.sessionSlots = new Semaphore(limits.maxSessions());
        this.deliveryPermits = new Semaphore(limits.maxDeliveries());
        this.acceptor = EssentialThread.create(this::acceptLoop, "lmtp-acceptor", log);
        this.watchdog = EssentialThread.create(this::watchLoop, "lmtp-watchdog", log);
        watchdog.setDaemon(true);
    }

    public void start() {
        log.accept("lmtp: listening on " + listener.address() + " (max " + limits.maxSessions() + " sessions, "
                + limits.maxDeliveries() + " deliveries at once, messages up to "
                + limits.session().maxMessageSize() + " bytes)");
        acceptor.start();
        watchdog.start();
    }

    public String address() {
        return listener.address();
    }

    /** Stops listening and cuts off the sessions under way: a message not yet delivered is retried by Postfix. */
    @Override
    public void close() {
        closing = true;
        listener.close();
        for (Connection connection : connections) {
            connection.close();
        }
        acceptor.interrupt();
    }

    private void acceptLoop() {
        while (!closing) {
            Optional<SocketChannel> accepted = listener.acceptNext(log, "lmtp: ");
            if (accepted.isEmpty()) {
                return;
            }
            SocketChannel channel = accepted.get();
            Connection connection = new Connection(channel, numbers.incrementAndGet());
            if (!sessionSlots.tryAcquire()) {
                connection.refuse("all " + limits.maxSessions() + " sessions are busy");
                continue;
            }
            connections.add(connection);
            try {
                new Thread(connection, "lmtp-" + connection.number).start();
            } catch (OutOfMemoryError | IllegalStateException e) {
                finished(connection);
                connection.refuse("cannot start a thread: " + e);
            }
        }
    }

    private void watchLoop() {
        while (!closing) {
            long now = System.nanoTime();
            for (Connection connection : connections) {
                if (now - connection.deadline > 0) {
                    log.accept("lmtp: session " + connection.number + ": nothing received for "
                            + limits.session().timeout().toSeconds() + " s; disconnected");
                    connection.close();
                }
            }
            try {
                Thread.sleep(WATCH_INTERVAL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void finished(Connection connection) {
        if (connections.remove(connection)) {
            sessionSlots.release();
        }
    }

    private final class Connection implements Runnable {
        private final SocketChannel channel;
        private final long number;
        /** System.nanoTime() past which a client that is expected to send is cut off. */
        private volatile long deadline = Long.MAX_VALUE;

        Connection(SocketChannel channel, long number) {
            this.channel = channel;
            this.number = number;
            expectInput();
        }

        @Override
        public void run() {
            try {
                if (channel.getRemoteAddress() instanceof java.net.InetSocketAddress) {
                    // Replies are flushed when due; Nagle's algorithm would hold each back for an ACK.
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
                new LmtpSession(new Watched(Channels.newInputStream(channel)), out, hostname, limits.session(),
                        deliveries, deliveryPermits, log, "session " + number).run();
            } catch (EOFException e) {
                log.accept("lmtp: session " + number + ": " + e.getMessage() + "; nothing of it was delivered");
            } catch (IOException e) {
                if (!closing) {
                    log.accept("lmtp: session " + number + ": " + e);
                }
            } catch (RuntimeException | Error e) {
                // The client sees the connection close before a reply and tries again later.
                log.accept("lmtp: session " + number + ": internal error: " + e);
            } finally {
                close();
                finished(this);
            }
        }

        private void expectInput() {
            deadline = System.nanoTime() + limits.session().timeout().toNanos();
        }

        void refuse(String reason) {
            log.accept("lmtp: refused session " + number + ": " + reason + "; the client tries again later");
            try {
                Channels.newOutputStream(channel).write(Reply.of(421, "4.3.2", hostname
                        + " too busy, try again later").bytes());
            } catch (IOException e) {
                // The client sees the connection close, which defers just the same.
            } finally {
                close();
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // Already closed or broken; nothing left to release.
            }
        }

        /** Each read renews the deadline before it waits and lifts it once bytes came (the server works then). */
        private final class Watched extends FilterInputStream {
            Watched(InputStream in) {
                super(in);
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                expectInput();
                try {
                    return super.read(buffer, offset, length);
                } finally {
                    deadline = Long.MAX_VALUE;
                }
            }
        }
    }
}
