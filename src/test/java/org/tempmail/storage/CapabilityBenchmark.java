package org.tempmail.storage;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;
import org.tempmail.testsupport.PostgresServer;

/**
 * Socketmap lookups per second for capability addresses; not a test. For SQLite and for PostgreSQL (a private
 * server, as in the tests) it fills the database with {@value #ROWS} addresses, starts {@code bin/tempmail serve}
 * as a separate process and asks the rcpt map for dated addresses, random capability addresses and unknown
 * addresses (a miss in the database), each for {@value #SECONDS} s on 1 and 16 persistent connections.
 *
 * <pre>
 * bench/capability.sh     # mvn -B -q package -DskipTests, then this class with target/test-classes
 * </pre>
 */
public final class CapabilityBenchmark {
    static final int ROWS = 100_000;
    static final int SECONDS = 5;
    private static final String DOMAIN = "temp.example.org";
    private static final String SECRET = "capability benchmark secret";

    private CapabilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path directory = Files.createTempDirectory("tempmail-cap-bench");
        System.out.printf("%d cores, server JVM flags %s, %,d capability addresses%n",
                Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("TEMPMAIL_JAVA_OPTS", "(launcher default)"), ROWS);
        System.out.printf("%-12s %-22s %11s %12s %9s %9s%n", "database", "addresses asked", "connections",
                "lookups/s", "p50 ms", "p99 ms");
        try {
            run("SQLite", new DatabaseSettings(directory.resolve("tempmail.db").toString(), true), directory);
            try (PostgresServer postgres = PostgresServer.start()) {
                run("PostgreSQL", new DatabaseSettings(postgres.newDatabase(), true), directory);
            }
        } finally {
            try (var files = Files.walk(directory)) {
                for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    private static void run(String name, DatabaseSettings database, Path directory) throws Exception {
        List<String> capabilities = fill(database);
        int port = freePort();
        Path config = directory.resolve("tempmail.cf");
        Files.write(config, List.of("SHARED_SECRET=\"" + SECRET + "\"", "DOMAIN=" + DOMAIN,
                "MAILDROP=owner@example.org", "TIMEZONE=UTC", "SOCKETMAP_SOCKET_TYPE=inet",
                "SOCKETMAP_INET_INTERFACE=127.0.0.1", "SOCKETMAP_INET_PORT=" + port,
                "DATABASE='" + database.location() + "'"));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-------"));
        Process server = new ProcessBuilder("bin/tempmail", "--config", config.toString(), "serve")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(server);
            String dated = DatedAddressResolver.from(new AddressSettings(SchemeName.HMAC_SHA256, new Secret(SECRET),
                    8, DOMAIN, "owner@example.org", 2, ZoneId.of("UTC"), "+")).validAddresses(Instant.now()).get(0);
            measure(port, 16, 3, capabilities, "OK ", null);
            for (int connections : new int[] {1, 16}) {
                measure(port, connections, SECONDS, List.of(dated), "OK ", name + " dated");
                measure(port, connections, SECONDS, capabilities, "OK ", name + " capability");
                measure(port, connections, SECONDS, List.of("nobody@" + DOMAIN), "NOTFOUND", name + " unknown");
            }
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Creates the schema through the store, then inserts the rows in one batch; returns their addresses. */
    private static List<String> fill(DatabaseSettings database) throws Exception {
        try (CapabilityStore store = CapabilityStore.open(database)) {
            store.initialise();
        }
        LocalPartGenerator generator = new LocalPartGenerator(new SecureRandom());
        List<String> addresses = new ArrayList<>(ROWS);
        String url = database.isPostgresql() ? database.location() : "jdbc:sqlite:" + database.location();
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO capability (local_part, "
                        + "local_part_key, domain, enabled, note, created) VALUES (?, ?, ?, ?, ?, ?)")) {
            connection.setAutoCommit(false);
            long now = System.currentTimeMillis();
            for (int i = 0; i < ROWS; i++) {
                String localPart = generator.next(LocalPartGenerator.DEFAULT_LENGTH);
                insert.setString(1, localPart);
                insert.setString(2, localPart);
                insert.setString(3, DOMAIN);
                insert.setBoolean(4, i % 10 != 0);
                insert.setString(5, "correspondent " + i);
                insert.setLong(6, now - i);
                insert.addBatch();
                if (i % 10 != 0) {
                    addresses.add(localPart + "@" + DOMAIN);
                }
                if (i % 5_000 == 4_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
            if (database.isPostgresql()) {
                connection.setAutoCommit(true);
                connection.createStatement().execute("ANALYZE capability");
            }
        }
        return addresses;
    }

    private static void measure(int port, int connections, int seconds, List<String> addresses, String expected,
            String label) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < connections; c++) {
            int index = c;
            threads.add(new Thread(() -> {
                long[] mine = new long[1 << 20];
                int count = 0;
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
                    while (!stop.get()) {
                        String address = addresses.get(ThreadLocalRandom.current().nextInt(addresses.size()));
                        byte[] request = ("rcpt " + address).getBytes(StandardCharsets.US_ASCII);
                        long start = System.nanoTime();
                        out.write((request.length + ":").getBytes(StandardCharsets.US_ASCII));
                        out.write(request);
                        out.write(',');
                        out.flush();
                        String reply = readNetstring(in);
                        long took = System.nanoTime() - start;
                        if (!reply.startsWith(expected)) {
                            throw new IOException("unexpected reply to " + address + ": " + reply);
                        }
                        if (count < mine.length) {
                            mine[count] = took;
                        }
                        count++;
                    }
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
                latencies[index] = Arrays.copyOf(mine, Math.min(count, mine.length));
                counts[index] = count;
            }));
        }
        long begin = System.nanoTime();
        threads.forEach(Thread::start);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        if (!failures.isEmpty()) {
            throw new IOException(label + ": " + failures.get(0), failures.get(0));
        }
        if (label == null) {
            return;
        }
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        long total = Arrays.stream(counts).asLongStream().sum();
        System.out.printf("%-12s %-22s %11d %,12.0f %9.3f %9.3f%n", label.substring(0, label.indexOf(' ')),
                label.substring(label.indexOf(' ') + 1), connections, total / elapsed,
                all[all.length / 2] / 1e6, all[(int) (all.length * 0.99)] / 1e6);
    }

    private static String readNetstring(DataInputStream in) throws IOException {
        int length = 0;
        int b;
        while ((b = in.read()) != ':') {
            if (b < '0' || b > '9') {
                throw new IOException("bad netstring length");
            }
            length = length * 10 + (b - '0');
        }
        byte[] data = new byte[length];
        in.readFully(data);
        if (in.read() != ',') {
            throw new IOException("netstring without its comma");
        }
        return new String(data, StandardCharsets.US_ASCII);
    }

    private static void awaitListening(Process process) throws IOException {
        BufferedReader log = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8));
        String line;
        while ((line = log.readLine()) != null) {
            if (line.contains("tempmail serve: listening on")) {
                Thread drain = new Thread(() -> {
                    try {
                        log.lines().filter(l -> !l.contains("listening")).forEach(System.out::println);
                    } catch (java.io.UncheckedIOException closed) {
                        // The server has been stopped.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
            System.out.println(line);
        }
        throw new IOException("the server did not start");
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
