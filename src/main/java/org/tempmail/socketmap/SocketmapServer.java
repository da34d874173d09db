package org.tempmail.socketmap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The socketmap server: one thread accepts, one platform thread serves each connection with blocking I/O (at
 * most {@code maxConnections} at once), and a watchdog closes connections that stay silent longer than the idle
 * timeout or take longer than the request timeout to send one request. Only an answered request renews a
 * connection's time: bytes that trickle in do not. When every slot is taken, a new client gets the slot of the
 * connection that has gone longest without an answer, so clients that hold slots without asking cannot keep
 * Postfix out. A remote peer may hold only so many slots. Nothing a client sends reaches another client's
 * connection.
 */
public final class SocketmapServer implements AutoCloseable {
    private static final int READ_BUFFER_SIZE = 4096;
    private static final long CONNECTION_THREAD_STACK = 256 * 1024;
    /** A TEMP answer that repeats (a backend down, a database missing) is logged once per this interval. */
    static final Duration TEMP_LOG_INTERVAL = Duration.ofSeconds(60);

    /**
     * How the server is bounded.
     *
     * @param requestTimeout        the longest a request may take from its first byte to its last
     * @param maxConnectionsPerPeer the most slots one remote address may hold; loopback and unix clients are
     *                              Postfix's own processes and have no such limit
     */
    public record Limits(int maxNetstringLength, Duration idleTimeout, Duration requestTimeout, int maxConnections,
            int maxConnectionsPerPeer) {
    }

    private final ListeningSocket listener;
    private final Supplier<SocketmapResponder> responder;
    private final Limits limits;
    private final Clock clock;
    private final Consumer<String> log;
    private final LogThrottle tempEvents;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private final ExecutorService workers;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread acceptor;
    private final Thread watchdog;
    private volatile boolean closing;

    /**
     * @param log receives one line per event, without a prefix
     */
    public SocketmapServer(ListeningSocket listener, SocketmapResponder responder, Limits limits, Clock clock,
            Consumer<String> log) {
        this(listener, () -> responder, limits, clock, log);
    }

    /**
     * @param responder gives the responder of the configuration in force; asked once per request, so that a
     *                  reloaded configuration answers from the next request on, on open connections too
     */
    public SocketmapServer(ListeningSocket listener, Supplier<SocketmapResponder> responder, Limits limits,
            Clock clock, Consumer<String> log) {
        this.listener = listener;
        this.responder = responder;
        this.limits = limits;
        this.clock = clock;
        this.log = log;
        this.tempEvents = new LogThrottle(clock, TEMP_LOG_INTERVAL);
        // A cached pool reuses the threads of closed connections, which keeps new connections cheap.
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                task -> {
                    Thread thread = new Thread(null, task, "socketmap-connection", CONNECTION_THREAD_STACK);
                    thread.setDaemon(true);
                    return thread;
                });
        this.acceptor = EssentialThread.create(this::acceptLoop, "socketmap-acceptor", log);
        this.watchdog = EssentialThread.create(this::watchLoop, "socketmap-idle-watchdog", log);
        watchdog.setDaemon(true);
    }

    /** Starts accepting connections and logs where. */
    public void start() {
        log.accept("listening on " + listener.address() + " (max " + limits.maxConnections() + " connections, "
                + limits.maxConnectionsPerPeer() + " per remote peer, idle timeout " + text(limits.idleTimeout())
                + ", request timeout " + text(limits.requestTimeout()) + ", requests up to "
                + limits.maxNetstringLength() + " bytes)");
        acceptor.start();
        watchdog.start();
    }

    public String address() {
        return listener.address();
    }

    /** Waits until the server has stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** The number of connections being served now. */
    public int openConnections() {
        return connections.size();
    }

    /** Stops accepting, closes every connection and removes the socket file. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        int open = connections.size();
        listener.close();
        for (Connection connection : connections) {
            connection.close();
        }
        workers.shutdown();
        watchdog.interrupt();
        try {
            acceptor.join(TimeUnit.SECONDS.toMillis(5));
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.accept("stopped listening on " + listener.address() + "; closed " + open + " connection"
                + (open == 1 ? "" : "s"));
        stopped.countDown();
    }

    private void acceptLoop() {
        ServerSocketChannel server = listener.channel();
        while (!closing) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                // Typically out of file descriptors: wait a little instead of spinning.
                log.accept("cannot accept a connection: " + e.getMessage());
                pause();
                continue;
            }
            admit(channel);
        }
        if (!closing) {
            new Thread(this::close, "socketmap-stop").start();
        }
    }

    private void admit(SocketChannel channel) {
        long number = connectionNumbers.incrementAndGet();
        Optional<InetAddress> remotePeer = remotePeer(channel);
        if (remotePeer.isPresent() && slotsHeldBy(remotePeer.get()) >= limits.maxConnectionsPerPeer()) {
            refuse(channel, "too many connections from " + remotePeer.get().getHostAddress(), "TEMP server busy: "
                    + "too many connections from your address");
            return;
        }
        if (connections.size() >= limits.maxConnections() && !makeRoom(number)) {
            refuse(channel, "connection limit of " + limits.maxConnections() + " reached and every client is being "
                    + "answered", "TEMP server busy: too many connections");
            return;
        }
        try {
            if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
        } catch (IOException e) {
            // A latency tweak only; the connection works without it.
        }
        Connection connection = new Connection(channel, number, remotePeer);
        connections.add(connection);
        if (closing) {
            connection.close();
            return;
        }
        try {
            workers.execute(connection);
        } catch (RuntimeException | OutOfMemoryError e) {
            // No thread for it (out of native threads or memory): this client is closed, the acceptor lives on.
            connections.remove(connection);
            connection.close();
            log.accept("cannot serve client #" + number + ": " + e + "; closed it");
            pause();
        }
    }

    /**
     * Every slot is taken: closes the connection that has gone longest without an answer, unless its answer is
     * being worked out right now. A Postfix client whose idle connection is closed reconnects and asks again.
     */
    private boolean makeRoom(long newcomer) {
        Optional<Connection> stalest = connections.stream().filter(c -> !c.computing)
                .min(Comparator.comparingLong(c -> c.lastAnswered));
        if (stalest.isEmpty()) {
            return false;
        }
        Connection evicted = stalest.get();
        evicted.closeAs(Closed.EVICTED);
        connections.remove(evicted);
        Duration waiting = Duration.ofNanos(System.nanoTime() - evicted.lastAnswered);
        tempEvents.admit("connection limit", "connection limit of " + limits.maxConnections() + " reached: closed "
                + evicted.name + ", which had had no answer for " + text(waiting) + ", to serve client #"
                + newcomer).ifPresent(log);
        return true;
    }

    private long slotsHeldBy(InetAddress peer) {
        return connections.stream().filter(c -> c.remotePeer.filter(peer::equals).isPresent()).count();
    }

    /** The client's address when it is another host's; empty for loopback and unix clients. */
    private static Optional<InetAddress> remotePeer(SocketChannel channel) {
        try {
            return channel.getRemoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                    && !inet.getAddress().isLoopbackAddress() ? Optional.of(inet.getAddress()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A temporary error the client can read; logged once per interval however many clients it meets. */
    private void refuse(SocketChannel channel, String event, String reply) {
        tempEvents.admit(event, event + "; refusing new connections with TEMP").ifPresent(log);
        try (channel) {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(Netstring.encode(reply)));
        } catch (IOException e) {
            // The client is gone already.
        }
    }

    private void watchLoop() {
        long idleNanos = limits.idleTimeout().toNanos();
        long requestNanos = limits.requestTimeout().toNanos();
        long shortest = Math.min(limits.idleTimeout().toMillis(), limits.requestTimeout().toMillis());
        long periodMillis = Math.max(10, Math.min(1000, shortest / 10));
        while (!closing) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection connection : connections) {
                long requestStarted = connection.requestStarted;
                long writeStarted = connection.writeStarted;
                if (requestStarted != 0 && now - requestStarted > requestNanos) {
                    connection.closeAs(Closed.SLOW_REQUEST);
                } else if (writeStarted != 0 && now - writeStarted > requestNanos) {
                    connection.closeAs(Closed.SLOW_READER);
                } else if (requestStarted == 0 && writeStarted == 0 && !connection.computing
                        && now - connection.lastAnswered > idleNanos) {
                    connection.closeAs(Closed.IDLE);
                }
            }
        }
    }

    private static String text(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why the server closed a connection, so that its thread logs the right line. */
    private enum Closed { NOT, IDLE, SLOW_REQUEST, SLOW_READER, EVICTED }

    /** One client: reads requests one after the other and answers each before reading on. */
    private final class Connection implements Runnable {
        private final SocketChannel channel;
        private final String name;
        private final Optional<InetAddress> remotePeer;
        /** When the last answer was written, or the client connected: only answers renew a connection. */
        private volatile long lastAnswered = System.nanoTime();
        /** When the first byte of the request being read arrived; 0 between requests. */
        private volatile long requestStarted;
        /** While the resolver works on an answer; the resolver bounds that time itself. */
        private volatile boolean computing;
        /** When the answer being written began; 0 when none is. A client that reads no answers is slow too. */
        private volatile long writeStarted;
        private volatile Closed closed = Closed.NOT;

        Connection(SocketChannel channel, long number, Optional<InetAddress> remotePeer) {
            this.channel = channel;
            this.name = "client #" + number + describePeer(channel);
            this.remotePeer = remotePeer;
        }

        @Override
        public void run() {
            try {
                serve();
            } catch (IOException e) {
                switch (closed) {
                    case IDLE -> log.accept(name + ": idle for more than " + text(limits.idleTimeout())
                            + "; disconnected");
                    case SLOW_REQUEST -> tempEvents.admit("slow request", name + ": request not complete within "
                            + text(limits.requestTimeout()) + "; disconnected").ifPresent(log);
                    case SLOW_READER -> tempEvents.admit("slow reader", name + ": answer not read within "
                            + text(limits.requestTimeout()) + "; disconnected").ifPresent(log);
                    case EVICTED -> { }
                    case NOT -> {
                        if (!closing) {
                            log.accept(name + ": connection error: " + e.getMessage());
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                log.accept(name + ": internal error, connection closed: " + e);
            } finally {
                close();
                connections.remove(this);
            }
        }

        private void serve() throws IOException {
            NetstringDecoder decoder = new NetstringDecoder(limits.maxNetstringLength());
            ByteBuffer input = ByteBuffer.allocate(READ_BUFFER_SIZE);
            byte[] bytes = input.array();
            while (true) {
                input.clear();
                int count = channel.read(input);
                if (count < 0) {
                    if (decoder.isMidNetstring()) {
                        log.accept(name + ": closed the connection in the middle of a request");
                    }
                    return;
                }
                long arrived = System.nanoTime();
                int position = 0;
                while (position < count) {
                    try {
                        position += decoder.feed(bytes, position, count - position);
                    } catch (NetstringException e) {
                        log.accept(name + ": " + e.getMessage() + "; answered PERM and closed the connection");
                        write(Netstring.encode("PERM " + e.getMessage()));
                        return;
                    }
                    if (decoder.hasPayload()) {
                        requestStarted = 0;
                        computing = true;
                        Reply reply = answer(decoder.take());
                        computing = false;
                        throttled(reply).ifPresent(event -> log.accept(name + ": " + event));
                        // Renewed before the write: the client may read the answer and connect anew before
                        // this thread runs again, and must not find this connection the stalest.
                        long answered = System.nanoTime();
                        lastAnswered = answered;
                        writeStarted = answered;
                        write(reply.netstring());
                        writeStarted = 0;
                    } else if (requestStarted == 0 && decoder.isMidNetstring()) {
                        requestStarted = arrived;
                    }
                }
            }
        }

        /** TEMP events of one reply text at most once per interval; other events always. */
        private Optional<String> throttled(Reply reply) {
            return reply.text().startsWith("TEMP ")
                    ? reply.event().flatMap(event -> tempEvents.admit(reply.text(), event)) : reply.event();
        }

        private Reply answer(byte[] request) {
            try {
                return responder.get().answer(request, clock.instant());
            } catch (RuntimeException e) {
                return Reply.temp("internal error", "internal error answering a request: " + e + "; answered TEMP");
            }
        }

        private void write(byte[] reply) throws IOException {
            ByteBuffer output = ByteBuffer.wrap(reply);
            while (output.hasRemaining()) {
                channel.write(output);
            }
        }

        void closeAs(Closed reason) {
            closed = reason;
            close();
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // Already broken; closing is all we wanted.
            }
        }

        private static String describePeer(SocketChannel channel) {
            try {
                Object peer = channel.getRemoteAddress();
                String text = peer == null ? "" : peer.toString();
                return text.isEmpty() ? "" : " (" + text.replaceFirst("^/", "") + ")";
            } catch (IOException e) {
                return "";
            }
        }
    }
}
