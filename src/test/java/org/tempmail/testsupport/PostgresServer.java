package org.tempmail.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server from Debian's postgresql package: its own data directory and socket directory in a
 * temporary directory, listening on a free loopback port, trust authentication. PostgreSQL refuses to run as
 * root, so as root the server runs as the postgres user. {@link #close()} stops it and removes its files; closing again does nothing.
 */
public final class PostgresServer implements AutoCloseable {
    private static final String SUPERUSER = "tempmail";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final Path dir;
    private final int port;
    private final Path bin;
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server, or skips the test (fails in CI) where PostgreSQL is not installed. */
    public static PostgresServer start() throws IOException, InterruptedException {
        Optional<Path> bin = installedBin();
        RequiredTool.require(bin.isPresent(), "PostgreSQL server: /usr/lib/postgresql/*/bin/initdb "
                + "(install postgresql)");
        boolean root = "root".equals(System.getProperty("user.name"));
        RequiredTool.require(!root || runs("id", "postgres"), "the postgres user to run PostgreSQL as "
                + "(install postgresql)");
        Path dir = Files.createTempDirectory("tempmail-pg-");
        if (root) {
            run(List.of("chown", "postgres:", dir.toString()), dir);
        }
        PostgresServer server = new PostgresServer(bin.get(), dir, freePort());
        try {
            server.initAndStart();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** A new, empty database on this server, as the JDBC URL tempmail.cf would hold. */
    public String newDatabase() throws SQLException {
        String name = "test" + DATABASES.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(url("postgres"));
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
    }

    public int port() {
        return port;
    }

    private void initAndStart() throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        asServerUser(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"));
        asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                dir.resolve("server.log").toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                        + "-c full_page_writes=off -c max_connections=60",
                "start"));
        running = true;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (running) {
                running = false;
                asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                        "-m", "immediate", "-w", "stop"));
            }
        } finally {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        }
    }

    private void asServerUser(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full, dir);
    }

    private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
        Path output = Files.createTempFile("tempmail-pg-", ".out");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + String.join(" ", command));
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ":\n"
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static boolean runs(String... command) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<Path> installedBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        }
    }

    private static int versionOf(Path versionDirectory) {
        try {
            return Integer.parseInt(versionDirectory.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
