package org.tempmail.socketmap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

/**
 * Load generator for {@code tempmail serve}; not a test. Starts the server through bin/tempmail (the launcher's
 * JVM flags, a separate process whose memory can be read), then measures persistent connections, a steady rate,
 * one request per new connection, and the server's resident memory over many lookups.
 *
 * <pre>
 * mvn -B -q package -DskipTests
 * java -cp target/classes:target/test-classes org.tempmail.socketmap.SocketmapBenchmark [LOOKUPS_FOR_MEMORY_RUN]
 * </pre>
 * (bench/socketmap.sh runs both.)
 */
public final class SocketmapBenchmark {
    private static final long PHASE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final String SECRET = "benchmark secret";
    private static final String DOMAIN = "temp.example.org";

    private final InetSocketAddress server;
    private final byte[][] requests;

    private SocketmapBenchmark(InetSocketAddress server, byte[][] requests) {
        this.server = server;
        this.requests = requests;
    }

    public static void main(String[] args) throws Exception {
        long memoryLookups = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        Path directory = Files.createTempDirectory("tempmail-bench");
        int port = freePort();
        Path config = directory.resolve("tempmail.cf");
        Files.write(config, List.of("SHARED_SECRET=\"" + SECRET + "\"", "DOMAIN=" + DOMAIN,
                "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SOCKETMAP_SOCKET_TYPE=inet",
                "SOCKETMAP_INET_INTERFACE=127.0.0.1", "SOCKETMAP_INET_PORT=" + port, "SOCKETMAP_MAX_CONNECTIONS=512"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));

        Process process = new ProcessBuilder("bin/tempmail", "--config", config.toString(), "serve")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(process);
            String valid = DatedAddressResolver.from(new AddressSettings(SchemeName.HMAC_SHA256,
                    new Secret(SECRET), 8, DOMAIN, "owner@example.org", 2, ZoneId.of("UTC"), "+"))
                    .validAddresses(Instant.now()).get(0);
            byte[][] requests = {
                Netstring.encode("rcpt " + valid),
                Netstring.encode("transport " + valid),
                Netstring.encode("access nobody@" + DOMAIN),
                Netstring.encode("transport *"),
            };
            SocketmapBenchmark benchmark = new SocketmapBenchmark(new InetSocketAddress("127.0.0.1", port), requests);
            benchmark.run(process.pid(), memoryLookups);
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(config);
            Files.deleteIfExists(directory);
        }
    }

    private void run(long pid, long memoryLookups) throws Exception {
        System.out.printf("server: bin/tempmail serve (pid %d), %d cores, JVM flags %s%n", pid,
                Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("TEMPMAIL_JAVA_OPTS", "(launcher default)"));
        persistent(16, TimeUnit.SECONDS.toNanos(3), false);
        long rssBefore = rssKilobytes(pid);
        System.out.printf("%-34s %12s %9s %9s %9s%n", "scenario", "lookups/s", "p50 ms", "p99 ms", "max ms");
        for (int connections : new int[] {1, 16, 128}) {
            persistent(connections, PHASE_NANOS, true);
        }
        steady(1000, TimeUnit.SECONDS.toNanos(10));
        newConnections(4, PHASE_NANOS);
        long rssAfterPhases = rssKilobytes(pid);
        long start = System.nanoTime();
        long done = lookups(16, memoryLookups);
        double seconds = (System.nanoTime() - start) / 1e9;
        long rssAfter = rssKilobytes(pid);
        System.out.printf("memory: server RSS %d MB after warm-up, %d MB after the scenarios, %d MB after %,d more "
                + "lookups on 16 connections (%.0f lookups/s)%n", rssBefore / 1024, rssAfterPhases / 1024,
                rssAfter / 1024, done, done / seconds);
    }

    /** {@code connections} clients, each asking as fast as its replies come. */
    private void persistent(int connections, long durationNanos, boolean print) throws Exception {
        Histogram total = new Histogram();
        long[] counts = new long[connections];
        List<Thread> threads = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(connections);
        AtomicBoolean go = new AtomicBoolean();
        long[] deadline = new long[1];
        for (int c = 0; c < connections; c++) {
            int index = c;
            threads.add(new Thread(() -> {
                Histogram histogram = new Histogram();
                try (SocketChannel channel = SocketChannel.open(server)) {
                    ByteBuffer reply = ByteBuffer.allocate(512);
                    ready.countDown();
                    while (!go.get()) {
                        Thread.onSpinWait();
                    }
                    long n = 0;
                    long now = System.nanoTime();
                    while (now < deadline[0]) {
                        ask(channel, requests[(int) (n++ & 3)], reply);
                        long after = System.nanoTime();
                        histogram.record(after - now);
                        now = after;
                    }
                    counts[index] = n;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                synchronized (total) {
                    total.add(histogram);
                }
            }));
        }
        threads.forEach(Thread::start);
        ready.await();
        long start = System.nanoTime();
        deadline[0] = start + durationNanos;
        go.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long sum = 0;
        for (long count : counts) {
            sum += count;
        }
        if (print) {
            total.print(connections + " persistent connection" + (connections == 1 ? "" : "s"), sum / seconds);
        }
    }

    /**
     * One connection asking at a fixed rate. Latency is shown twice: from sending to the reply, and from when
     * the request was due, which adds the generator's own scheduling delays.
     */
    private void steady(int perSecond, long durationNanos) throws IOException {
        Histogram histogram = new Histogram();
        Histogram fromDue = new Histogram();
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        try (SocketChannel channel = SocketChannel.open(server)) {
            ByteBuffer reply = ByteBuffer.allocate(512);
            long start = System.nanoTime();
            long n = 0;
            for (long due = start; due < start + durationNanos; due += interval) {
                while (System.nanoTime() < due) {
                    long wait = due - System.nanoTime();
                    if (wait > 200_000) {
                        TimeUnit.NANOSECONDS.sleep(wait - 100_000);
                    } else {
                        Thread.onSpinWait();
                    }
                }
                long sent = System.nanoTime();
                ask(channel, requests[(int) (n++ & 3)], reply);
                long answered = System.nanoTime();
                histogram.record(answered - sent);
                fromDue.record(answered - due);
            }
            double rate = n / ((System.nanoTime() - start) / 1e9);
            histogram.print("steady " + perSecond + " lookups/s", rate);
            fromDue.print("  (same, timed from schedule)", rate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code clients} threads, each connecting, asking once and closing, over and over. */
    private void newConnections(int clients, long durationNanos) throws Exception {
        Histogram total = new Histogram();
        long[] counts = new long[clients];
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + durationNanos;
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int index = c;
            threads.add(new Thread(() -> {
                Histogram histogram = new Histogram();
                ByteBuffer reply = ByteBuffer.allocate(512);
                long n = 0;
                long now = System.nanoTime();
                try {
                    while (now < deadline) {
                        try (SocketChannel channel = SocketChannel.open(server)) {
                            ask(channel, requests[(int) (n++ & 3)], reply);
                        }
                        long after = System.nanoTime();
                        histogram.record(after - now);
                        now = after;
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                counts[index] = n;
                synchronized (total) {
                    total.add(histogram);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        long sum = 0;
        for (long count : counts) {
            sum += count;
        }
        total.print("new connection per lookup (" + clients + " clients)",
                sum / ((System.nanoTime() - start) / 1e9));
    }

    /** Exactly {@code total} lookups spread over {@code connections} connections; returns how many were made. */
    private long lookups(int connections, long total) throws Exception {
        List<Thread> threads = new ArrayList<>();
        long each = total / connections;
        for (int c = 0; c < connections; c++) {
            threads.add(new Thread(() -> {
                try (SocketChannel channel = SocketChannel.open(server)) {
                    ByteBuffer reply = ByteBuffer.allocate(512);
                    for (long n = 0; n < each; n++) {
                        ask(channel, requests[(int) (n & 3)], reply);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        return each * connections;
    }

    private static void ask(SocketChannel channel, byte[] request, ByteBuffer reply) throws IOException {
        ByteBuffer output = ByteBuffer.wrap(request);
        while (output.hasRemaining()) {
            channel.write(output);
        }
        reply.clear();
        do {
            if (channel.read(reply) < 0) {
                throw new IOException("server closed the connection");
            }
        } while (reply.position() == 0 || reply.get(reply.position() - 1) != ',');
        if (reply.get(reply.position() - 2) == ' ' && reply.get(reply.position() - 3) == 'P') {
            throw new IOException("unexpected reply "
                    + new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII));
        }
    }

    private static void awaitListening(Process process) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = log.readLine()) != null) {
            System.out.println(line);
            if (line.contains("tempmail serve: listening on")) {
                Thread drain = new Thread(() -> {
                    try {
                        log.lines().forEach(System.out::println);
                    } catch (java.io.UncheckedIOException closed) {
                        // The server has been stopped.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("the server did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            return ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
    }

    private static long rssKilobytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Latencies in microsecond buckets up to 100 ms, plus the exact maximum. */
    private static final class Histogram {
        private static final int BUCKETS = 100_000;
        private final long[] counts = new long[BUCKETS];
        private long total;
        private long maxNanos;

        void record(long nanos) {
            counts[(int) Math.min(BUCKETS - 1, nanos / 1000)]++;
            total++;
            maxNanos = Math.max(maxNanos, nanos);
        }

        void add(Histogram other) {
            for (int i = 0; i < BUCKETS; i++) {
                counts[i] += other.counts[i];
            }
            total += other.total;
            maxNanos = Math.max(maxNanos, other.maxNanos);
        }

        double percentileMillis(double percentile) {
            long rank = (long) Math.ceil(total * percentile / 100);
            long seen = 0;
            for (int i = 0; i < BUCKETS; i++) {
                seen += counts[i];
                if (seen >= rank) {
                    return (i + 1) / 1000.0;
                }
            }
            return maxNanos / 1e6;
        }

        void print(String scenario, double perSecond) {
            System.out.printf("%-34s %,12.0f %9.3f %9.3f %9.3f%n", scenario, perSecond, percentileMillis(50),
                    percentileMillis(99), maxNanos / 1e6);
        }
    }
}
