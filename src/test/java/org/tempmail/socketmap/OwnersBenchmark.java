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
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.address.Resolution;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigLoader;
import org.tempmail.owners.Holder;
import org.tempmail.owners.IndexWriteTiming;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.owners.OwnerIndex;
import org.tempmail.resolver.AssembledResolver;
import org.tempmail.resolver.ResolverAssembly;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.NewOwner;
import org.tempmail.storage.Owner;

/**
 * Benchmark of several owners; not a test. For a single-owner server (no owners) and for 1, 1,000 and 100,000
 * owners sharing DOMAIN, starts bin/tempmail serve and measures rcpt lookups/s of valid addresses on 16
 * persistent connections (each lookup another owner's address), with the slowest and the 99.9th percentile;
 * then, with 100,000 owners, how long building and updating the index take and what they allocate, and on the
 * same server the lookups of 12 s without any change of owners beside those of 12 s while the server rebuilds
 * the index again and again, paced and at full speed; last, paced lookups on a server whose faked clock passes
 * midnight (a new day's index built from all owners), and on one whose clock passes noon. bench/owners.sh runs it.
 */
public final class OwnersBenchmark {
    private static final long PHASE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int CONNECTIONS = 16;
    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    private static final long STARTUP_NANOS = TimeUnit.MILLISECONDS.toNanos(300);
    /** Lookups a second on each connection in the paced phases: 8,000 a second, far below what the server does. */
    private static final int PACED_PER_CONNECTION = 500;
    /** How long before its log line reaches this JVM a rebuild may have ended, at most: a generous bound. */
    private static final long REBUILD_SLACK = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Pattern REBUILD_TIME =
            Pattern.compile("(\\d+) ms to read from the store, (\\d+) ms to (?:update|build)\\)");

    public static void main(String[] args) throws Exception {
        System.out.printf("%d cores, JVM flags %s%n", Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("TEMPMAIL_JAVA_OPTS", "(launcher default)"));
        System.out.printf("%-28s %12s %9s %9s %9s%n", "server", "lookups/s", "max ms", "p99.9 ms", "RSS MB");
        double single = 0;
        for (int owners : new int[] {0, 1, 1_000, 100_000}) {
            double rate = scenario(owners, owners == 100_000);
            if (owners == 0) {
                single = rate;
            } else {
                System.out.printf("  = %.2f x the single-owner rate%n", rate / single);
            }
        }
    }

    private static double scenario(int ownerCount, boolean rebuilds) throws Exception {
        Path directory = Files.createTempDirectory("tempmail-owners-bench");
        int port = freePort();
        Path file = directory.resolve("tempmail.cf");
        writeConfig(file, port);
        Config config = ConfigLoader.load(file);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<byte[]> requests = new ArrayList<>();
        try (CapabilityStore store = CapabilityStore.open(config.database())) {
            store.initialise();
            List<NewOwner> adding = new ArrayList<>();
            for (int i = 0; i < ownerCount; i++) {
                adding.add(new NewOwner("owner" + i, "owner" + i + "@example.net", Optional.empty(),
                        OptionalInt.empty(), Instant.now()));
            }
            List<Owner> owners = store.owners().addAll(adding);
            for (int i = 0; i < Math.min(1000, owners.size()); i++) {
                Owner owner = owners.get((int) ((long) i * owners.size() / Math.min(1000, owners.size())));
                requests.add(Netstring.encode("rcpt " + OwnerAddresses.addressOf(owner, config.addresses(), today)));
            }
            if (owners.isEmpty()) {
                for (String address : DatedAddressResolver.from(config.addresses()).validAddresses(Instant.now())) {
                    requests.add(Netstring.encode("rcpt " + address));
                }
            }
            if (rebuilds) {
                indexBuild(owners, config);
            }
            inProcess(ownerCount, config, requests);
        }
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        Process process = new ProcessBuilder("bin/tempmail", "--config", file.toString(), "serve")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(process, log);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
            persistent(server, requests, TimeUnit.SECONDS.toNanos(3), 0);
            Latencies result = persistent(server, requests, PHASE_NANOS, 0);
            double rate = result.count() / (PHASE_NANOS / 1e9);
            System.out.printf("%-28s %12.0f %9.2f %9.2f %9d   (load average %s)%n", ownerCount == 0
                    ? "single owner (tempmail.cf)" : String.format("%,d owners, one domain", ownerCount), rate,
                    result.maxNanos() / 1e6, result.p999Nanos() / 1e6, rssKilobytes(process.pid()) / 1024,
                    loadAverage());
            if (rebuilds) {
                // Paced first, so that it has the server's first change of owners, the slowest.
                System.out.printf("paced, %,d lookups/s on each of the 16 connections, each lookup's time counted "
                        + "from when it was due:%n", PACED_PER_CONNECTION);
                duringRebuilds(server, requests, config, log, TimeUnit.SECONDS.toNanos(1) / PACED_PER_CONNECTION);
                System.out.println("as fast as 16 connections can ask (both cores busy):");
                duringRebuilds(server, requests, config, log, 0);
                System.out.printf("  server RSS after the rebuilds: %d MB%n", rssKilobytes(process.pid()) / 1024);
                acrossMidnight(directory, requests);
            }
            return rate;
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.list(directory)) {
                for (Path each : files.toList()) {
                    Files.delete(each);
                }
            }
            Files.delete(directory);
        }
    }

    private static void writeConfig(Path file, int port) throws IOException {
        Files.write(file, List.of("SHARED_SECRET=\"benchmark secret\"", "DOMAIN=temp.example.org",
                "MAILDROP=me@example.org", "LENGTH=16", "TIMEZONE=UTC",
                "DATABASE=" + file.resolveSibling("t.db"), "SOCKETMAP_SOCKET_TYPE=inet",
                "SOCKETMAP_INET_INTERFACE=127.0.0.1", "SOCKETMAP_INET_PORT=" + port));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * A new day inside a server: a second server on the same owners, whose clock libfaketime starts at 23:59:00
     * today (UTC), so that it digests tomorrow ahead for a minute and then builds the index for it from all
     * owners; paced lookups for 12 s around its midnight, and those under way while that build ran. Then the
     * same with the clock started at 12:00:00, no new day, for what libfaketime itself costs.
     */
    private static void acrossMidnight(Path directory, List<byte[]> requests) throws Exception {
        if (!Files.isReadable(FAKETIME)) {
            System.out.println("new day: skipped, " + FAKETIME + " is missing (Debian package libfaketime)");
            return;
        }
        fakedClock(directory, requests, LocalTime.of(23, 59), "new day, 12 s around midnight");
        fakedClock(directory, requests, LocalTime.NOON, "the same at noon, no new day");
    }

    private static void fakedClock(Path directory, List<byte[]> requests, LocalTime startsAt, String label)
            throws Exception {
        int port = freePort();
        Path file = directory.resolve("faked-" + port + ".cf");
        writeConfig(file, port);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        ProcessBuilder builder = new ProcessBuilder("bin/tempmail", "--config", file.toString(), "serve")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        // Preloaded into the launcher and the JVM it becomes, so that destroy() reaches the server itself.
        builder.environment().put("LD_PRELOAD", FAKETIME.toString());
        builder.environment().put("FAKETIME", "@" + today + " " + startsAt.format(DateTimeFormatter.ISO_LOCAL_TIME));
        // The JVM's timers run on the monotonic clock, which stays real.
        builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        long launched = System.nanoTime();
        Process process = builder.start();
        ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
        try {
            awaitListening(process, log);
            InetSocketAddress server = new InetSocketAddress("127.0.0.1", port);
            persistent(server, requests, TimeUnit.SECONDS.toNanos(3), 0);
            // Its midnight (or noon's minute) comes 60 s after the launch; the phase starts 10 s before it.
            LockSupport.parkNanos(launched + TimeUnit.SECONDS.toNanos(50) - STARTUP_NANOS - System.nanoTime());
            long phase = TimeUnit.SECONDS.toNanos(12);
            Latencies paced = persistent(server, requests, phase, TimeUnit.SECONDS.toNanos(1) / PACED_PER_CONNECTION);
            Thread.sleep(1500);
            List<long[]> windows = new ArrayList<>();
            for (String line : indexLines(log)) {
                if (!line.contains("built for " + today.plusDays(1))) {
                    continue;
                }
                windows.add(rebuildWindow(line));
                System.out.printf("  logged at %+.2f s of the phase: %s%n", (loggedAt(line) - paced.startNanos()) / 1e9,
                        line.replaceFirst("^.*?owners: ", "owners: "));
            }
            long[] during = paced.overlapping(windows);
            System.out.printf("%s, paced as above: %s; lookups under way while the new day's index was built (its "
                    + "time, and %d ms before it): %,d, slowest %.2f ms, %d over 10 ms%n", label, paced.describe(),
                    TimeUnit.NANOSECONDS.toMillis(REBUILD_SLACK), during[0], during[1] / 1e6, during[2]);
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** The resolver alone, in this JVM, as the server assembles it: no sockets, no other threads. */
    private static void inProcess(int ownerCount, Config config, List<byte[]> requests) throws Exception {
        List<String> addresses = new ArrayList<>();
        for (byte[] request : requests) {
            String text = new String(request, StandardCharsets.US_ASCII);
            addresses.add(text.substring(text.indexOf("rcpt ") + 5, text.length() - 1));
        }
        try (AssembledResolver resolver = ResolverAssembly.serving(config, CapabilityStore.open(config.database()),
                Clock.systemUTC(), event -> { })) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < 200_000; i++) {
                    if (!(resolver.resolve(addresses.get(i % addresses.size()), Instant.now())
                            instanceof Resolution.Valid)) {
                        throw new IllegalStateException("not valid: " + addresses.get(i % addresses.size()));
                    }
                }
                best = Math.min(best, System.nanoTime() - start);
            }
            System.out.printf("in-process resolver, %,d owners: %.2f µs a lookup (best of 5 × 200,000)%n",
                    ownerCount, best / 200_000 / 1000.0);
        }
    }

    /** Builds the index in this JVM, as the server does, several times: the last build's time and heap. */
    private static void indexBuild(List<Owner> owners, Config config) {
        long empty = usedHeap();
        List<Holder> holders = new ArrayList<>();
        holders.add(OwnerAddresses.defaultHolder(config.addresses()).orElseThrow());
        for (Owner owner : owners) {
            holders.add(OwnerAddresses.holder(owner, config.addresses()));
        }
        long nanos = 0;
        OwnerIndex index = null;
        for (int round = 0; round < 5; round++) {
            index = null;
            long start = System.nanoTime();
            index = OwnerIndex.build(holders, LocalDate.now(ZoneOffset.UTC));
            nanos = System.nanoTime() - start;
        }
        index = null;
        long before = usedHeap();
        index = OwnerIndex.build(holders, LocalDate.now(ZoneOffset.UTC));
        long after = usedHeap();
        System.out.printf("index of %,d owners: %,d local parts, built in %d ms (fifth build in this JVM), "
                + "%.1f MB of heap (%.1f MB the table and the kept hashes, %.1f MB the owners' schemes and "
                + "maildrops)%n", owners.size(), index.entries(), nanos / 1_000_000, (after - empty) / 1e6,
                (after - before) / 1e6, (before - empty) / 1e6);
        index = null;
        System.out.print(IndexWriteTiming.measure(holders, LocalDate.now(ZoneOffset.UTC),
                holder -> holder.name().map(name -> OwnerAddresses.holder(owners.get(Integer.parseInt(
                        name.substring("owner".length()))), config.addresses())).orElse(holder)));
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    /**
     * Lookups on 16 connections for 12 s without any change of owners, then for 12 s while another process
     * disables and enables an owner every 1.5 s, each change a rebuild of the server's index: what the rebuilds
     * add to the slowest lookups is the difference. Each connection asks again at once, or, with {@code
     * intervalNanos} above 0, every {@code intervalNanos}.
     */
    private static void duringRebuilds(InetSocketAddress server, List<byte[]> requests, Config config,
            ConcurrentLinkedQueue<String> log, long intervalNanos) throws Exception {
        long phase = TimeUnit.SECONDS.toNanos(12);
        log.clear();
        Latencies quiet = persistent(server, requests, phase, intervalNanos);
        List<String> quietBuilds = indexLines(log);
        System.out.printf("no rebuild, 12 s:        %.0f lookups/s, %s (%d rebuilds; load average %s)%n",
                quiet.count() / 12.0, quiet.describe(), quietBuilds.size(), loadAverage());
        log.clear();
        AtomicBoolean done = new AtomicBoolean();
        Thread changer = new Thread(() -> {
            try (CapabilityStore store = CapabilityStore.open(config.database())) {
                boolean enabled = false;
                // The first change once the lookups are under way.
                Thread.sleep(1500);
                while (!done.get()) {
                    store.owners().setEnabled("owner1", enabled);
                    enabled = !enabled;
                    Thread.sleep(1500);
                }
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        changer.start();
        Latencies busy = persistent(server, requests, phase, intervalNanos);
        done.set(true);
        changer.join();
        // The last change's rebuild may come after the phase; give it a poll to be logged.
        Thread.sleep(1500);
        List<String> builds = indexLines(log);
        System.out.printf("during %d rebuilds, 12 s: %.0f lookups/s, %s (load average %s)%n", builds.size(),
                busy.count() / 12.0, busy.describe(), loadAverage());
        List<Long> times = new ArrayList<>();
        List<Long> logged = new ArrayList<>();
        for (String line : builds) {
            logged.add(loggedAt(line));
            rebuildMillis(line).ifPresent(times::add);
            System.out.printf("  logged at %+.2f s: %s%n", (loggedAt(line) - busy.startNanos()) / 1e9,
                    line.replaceFirst("^.*?owners: ", "owners: "));
        }
        System.out.printf("  each rebuild, read from the store and written (ms): %s; slowest %d ms%n", times,
                times.stream().mapToLong(Long::longValue).max().orElse(-1));
        // The same windows, as far into the phase without rebuilds, are the control.
        List<long[]> windows = new ArrayList<>();
        List<long[]> control = new ArrayList<>();
        for (String line : builds) {
            long[] window = rebuildWindow(line);
            long from = window[0];
            long at = window[1];
            if (from < busy.startNanos() + phase) {
                windows.add(new long[] {from, at});
                control.add(new long[] {from - busy.startNanos() + quiet.startNanos(),
                        at - busy.startNanos() + quiet.startNanos()});
            }
        }
        long[] during = busy.overlapping(windows);
        long[] same = quiet.overlapping(control);
        System.out.printf("  lookups under way while a rebuild ran (its time, and %d ms before it): %,d, slowest "
                + "%.2f ms, %d over 10 ms; in the same windows of the phase without rebuilds: %,d, slowest %.2f ms, "
                + "%d over 10 ms%n", TimeUnit.NANOSECONDS.toMillis(REBUILD_SLACK), during[0], during[1] / 1e6,
                during[2], same[0], same[1] / 1e6, same[2]);
        // A slow lookup the rebuilds cause begins while one is written: in the ~0.3 s before its line is logged.
        long near = busy.slowStarts().stream().filter(begun -> logged.stream().anyMatch(
                line -> begun <= line && line - begun < 300_000_000L)).count();
        System.out.printf("  of the %d lookups over 10 ms, %d began in the 0.3 s before a rebuild was logged "
                + "(%.0f %% of the phase's time)%n", busy.slowStarts().size(), near,
                Math.min(100, 100.0 * logged.size() * 0.3 / 12));
    }

    /** When (System.nanoTime) this JVM read a log line. */
    private static long loggedAt(String line) {
        return Long.parseLong(line.substring(0, line.indexOf('\t')));
    }

    /** A rebuild's time as its line gives it: read from the store and written. */
    private static Optional<Long> rebuildMillis(String line) {
        Matcher time = REBUILD_TIME.matcher(line);
        return time.find() ? Optional.of(Long.parseLong(time.group(1)) + Long.parseLong(time.group(2)))
                : Optional.empty();
    }

    /**
     * While a rebuild ran: from its start (its line's time less its own time, less REBUILD_SLACK for the line to
     * reach this JVM) to its line.
     */
    private static long[] rebuildWindow(String line) {
        long at = loggedAt(line);
        return new long[] {at - TimeUnit.MILLISECONDS.toNanos(rebuildMillis(line).orElse(0L)) - REBUILD_SLACK, at};
    }

    private static List<String> indexLines(ConcurrentLinkedQueue<String> log) {
        return log.stream().filter(line -> line.contains("owners: index of")).toList();
    }

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    /**
     * How many lookups were made, how long the slowest and the 99.9th percentile took, how many took over 10 ms,
     * and when (System.nanoTime) the phase and its slowest lookup began.
     */
    private record Latencies(long count, long maxNanos, long p999Nanos, long over10ms, long startNanos,
            long slowestStartNanos, List<Long> slowStarts, long[][] starts, long[][] took, int[] made) {
        /** Of the lookups under way at some time in one of the windows (from, to): count, slowest, over 10 ms. */
        long[] overlapping(List<long[]> windows) {
            long count = 0;
            long slowest = 0;
            long over = 0;
            for (int c = 0; c < made.length; c++) {
                for (int i = 0; i < made[c]; i++) {
                    long begun = starts[c][i];
                    long ended = begun + took[c][i];
                    if (windows.stream().anyMatch(w -> begun < w[1] && ended > w[0])) {
                        count++;
                        slowest = Math.max(slowest, took[c][i]);
                        over += took[c][i] > 10_000_000 ? 1 : 0;
                    }
                }
            }
            return new long[] {count, slowest, over};
        }

        String describe() {
            return String.format("slowest %.2f ms (begun at %+.2f s), p99.9 %.2f ms, %,d over 10 ms", maxNanos / 1e6,
                    (slowestStartNanos - startNanos) / 1e9, p999Nanos / 1e6, over10ms);
        }
    }

    /**
     * Lookups on 16 connections for {@code durationNanos}: each asks again as soon as it has its answer, or, with
     * {@code intervalNanos} above 0, when the next is due, every {@code intervalNanos} from the start; a paced
     * lookup's time runs from when it was due, so that one answered late delays the next ones' times too.
     */
    private static Latencies persistent(InetSocketAddress server, List<byte[]> requests, long durationNanos,
            long intervalNanos) throws Exception {
        // Later than the threads take to start and connect, so that no lookup is timed from before its connection.
        long start = System.nanoTime() + STARTUP_NANOS;
        long deadline = start + durationNanos;
        List<Thread> threads = new ArrayList<>();
        long[][] took = new long[CONNECTIONS][];
        long[][] starts = new long[CONNECTIONS][];
        int[] made = new int[CONNECTIONS];
        long[] slowestStart = new long[CONNECTIONS];
        ConcurrentLinkedQueue<Long> slowStarts = new ConcurrentLinkedQueue<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int connection = c;
            threads.add(new Thread(() -> {
                try (SocketChannel channel = SocketChannel.open(server)) {
                    ByteBuffer reply = ByteBuffer.allocate(512);
                    // Allocated before the clock runs, so that this JVM's own collections stay out of it.
                    long[] nanos = new long[(int) Math.min(1_000_000, durationNanos / 20_000)];
                    long[] begun = new long[nanos.length];
                    int n = 0;
                    long max = -1;
                    LockSupport.parkNanos(start - System.nanoTime());
                    long now = System.nanoTime();
                    while (now < deadline) {
                        if (intervalNanos > 0) {
                            // Spread over the interval, so that the connections do not ask all at once.
                            long due = start + n * intervalNanos + connection * intervalNanos / CONNECTIONS;
                            LockSupport.parkNanos(due - System.nanoTime());
                            now = due;
                        }
                        ask(channel, requests.get((n + connection * 61) % requests.size()), reply);
                        long after = System.nanoTime();
                        if (n == nanos.length) {
                            nanos = Arrays.copyOf(nanos, 2 * n);
                            begun = Arrays.copyOf(begun, 2 * n);
                        }
                        begun[n] = now;
                        nanos[n++] = after - now;
                        if (after - now > 10_000_000) {
                            slowStarts.add(now);
                        }
                        if (after - now > max) {
                            max = after - now;
                            slowestStart[connection] = now;
                        }
                        now = after;
                    }
                    took[connection] = nanos;
                    starts[connection] = begun;
                    made[connection] = n;
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }
        long total = 0;
        for (int n : made) {
            total += n;
        }
        long[] all = new long[(int) total];
        int at = 0;
        long slowest = -1;
        long slowestAt = start;
        for (int c = 0; c < CONNECTIONS; c++) {
            System.arraycopy(took[c], 0, all, at, made[c]);
            at += made[c];
            for (int i = 0; i < made[c]; i++) {
                if (took[c][i] > slowest) {
                    slowest = took[c][i];
                    slowestAt = slowestStart[c];
                }
            }
        }
        Arrays.sort(all);
        long over = 0;
        for (int i = all.length - 1; i >= 0 && all[i] > 10_000_000; i--) {
            over++;
        }
        return new Latencies(total, all.length == 0 ? 0 : all[all.length - 1],
                all.length == 0 ? 0 : all[(int) Math.min(all.length - 1, Math.ceil(all.length * 0.999) - 1)],
                over, start, slowestAt, List.copyOf(slowStarts), starts, took, made);
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
        String answer = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
        if (!answer.contains("OK ") && !answer.contains(":NOTFOUND")) {
            throw new IOException("unexpected reply " + answer);
        }
    }

    private static void awaitListening(Process process, ConcurrentLinkedQueue<String> log) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = lines.readLine()) != null) {
            log.add(System.nanoTime() + "\t" + line);
            if (line.contains("tempmail serve: listening on")) {
                Thread drain = new Thread(() -> {
                    try {
                        lines.lines().forEach(each -> log.add(System.nanoTime() + "\t" + each));
                    } catch (java.io.UncheckedIOException closed) {
                        // The server has been stopped.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new IOException("the server did not start: " + String.join("\n", log));
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
}
