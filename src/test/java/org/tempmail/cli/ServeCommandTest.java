package org.tempmail.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServeCommandTest {
    @TempDir
    Path directory;

    private Path config(String... socketLines) throws IOException {
        List<String> lines = new ArrayList<>(List.of("SHARED_SECRET=\"serve command test\"",
                "DOMAIN=temp.example.org", "MAILDROP=owner@example.org"));
        lines.addAll(List.of(socketLines));
        Path file = directory.resolve("tempmail.cf");
        Files.write(file, lines);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static ToolRun run(String... args) {
        return ToolRun.of(args, new byte[0], Map.of(), Clock.systemUTC());
    }

    private void assertStartupError(Path config, String message) {
        ToolRun outcome = run("--config", config.toString(), "serve");
        assertEquals(2, outcome.status(), outcome.toString());
        assertEquals("tempmail serve: " + message + "\n", outcome.err());
    }

    @Test
    void isListedInTheToolHelpAndExplainsItselfInItsOwn() {
        assertTrue(run("--help").out().contains("serve "));
        ToolRun help = run("serve", "--help");
        assertEquals(0, help.status());
        for (String expected : new String[] {"socketmap", "SOCKETMAP_SOCKET_TYPE", "OK MAILDROP", "OK TRANSPORT",
            "OK REJECT ACCESS_EXPIRED_TEXT", "TEMP", "SIGTERM", "postmap -q"}) {
            assertTrue(help.out().contains(expected), "help lacks " + expected + ":\n" + help.out());
        }
    }

    @Test
    void portInUseIsAOneLineErrorWithStatus2() throws Exception {
        try (ServerSocketChannel busy = ServerSocketChannel.open()) {
            busy.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            int port = ((java.net.InetSocketAddress) busy.getLocalAddress()).getPort();
            assertStartupError(config("SOCKETMAP_SOCKET_TYPE=inet", "SOCKETMAP_INET_PORT=" + port),
                    "cannot listen on inet:127.0.0.1:" + port + ": Address already in use");
        }
    }

    @Test
    void missingSocketDirectoryIsAOneLineErrorWithStatus2() throws Exception {
        Path socket = directory.resolve("no-such-dir/socketmap");
        assertStartupError(config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket),
                "cannot listen on unix:" + socket + ": directory " + socket.getParent() + " does not exist");
    }

    @Test
    void liveSocketIsAOneLineErrorWithStatus2() throws Exception {
        Path socket = directory.resolve("socketmap");
        try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            live.bind(UnixDomainSocketAddress.of(socket));
            assertStartupError(config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket),
                    "cannot listen on unix:" + socket + ": another server is listening there (stop it first)");
        }
    }

    @Test
    void unknownOwnerIsAOneLineErrorWithStatus2() throws Exception {
        Path socket = directory.resolve("socketmap");
        assertStartupError(config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket,
                "SOCKETMAP_UNIX_SOCKET_OWNER_UID=no-such-user-tm"),
                "SOCKETMAP_UNIX_SOCKET_OWNER_UID=no-such-user-tm: no such user");
        assertFalse(Files.exists(socket));
    }

    @Test
    void anLmtpSocketWithAnUnknownGroupOrInAMissingDirectoryIsAOneLineErrorNamingItsKey() throws Exception {
        Path socket = directory.resolve("socketmap");
        Path lmtp = directory.resolve("lmtp");
        assertStartupError(config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket,
                "LMTP_LISTEN=unix:" + lmtp, "LMTP_UNIX_SOCKET_OWNER_GID=no-such-group-tm"),
                "LMTP_LISTEN: LMTP_UNIX_SOCKET_OWNER_GID=no-such-group-tm: no such group");
        assertStartupError(config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket,
                "LMTP_LISTEN=unix:" + directory.resolve("missing/lmtp")),
                "LMTP_LISTEN: cannot listen on unix:" + directory.resolve("missing/lmtp") + ": directory "
                        + directory.resolve("missing") + " does not exist");
        assertFalse(Files.exists(socket), "the socketmap socket is closed again");
        assertFalse(Files.exists(lmtp));
    }

    @Test
    void refusesArguments() {
        ToolRun outcome = run("serve", "extra");
        assertEquals(2, outcome.status());
        assertTrue(outcome.err().startsWith("tempmail serve: unexpected argument \"extra\""), outcome.err());
    }

    /** The real process: serves on a unix socket, then stops cleanly on a signal. */
    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void servesUntilASignalThenExitsZeroAndRemovesTheSocket(String signal) throws Exception {
        Path socket = directory.resolve("socketmap");
        Path config = config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket);
        Process server = serve(config);
        try {
            BufferedReader log = serverLog(server);
            String first = log.readLine();
            assertEquals("tempmail serve: listening on unix:" + socket
                    + " (max 256 connections, 128 per remote peer, idle timeout 60 s, request timeout 5 s, requests up"
                    + " to 512 bytes)", first);
            assertEquals("NOTFOUND ", ask(socket, "rcpt nobody@temp.example.org"));
            new ProcessBuilder("kill", "-" + signal, Long.toString(server.pid())).start().waitFor();
            assertTrue(server.waitFor(20, TimeUnit.SECONDS), "server ignores SIG" + signal);
            assertEquals(0, server.exitValue());
            List<String> rest = log.lines().toList();
            assertEquals(List.of("tempmail serve: stop requested (SIGTERM or SIGINT); shutting down",
                    "tempmail serve: stopped listening on unix:" + socket + "; closed 0 connections"), rest);
            assertFalse(Files.exists(socket), "socket file left behind");
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void anExpectedDatabaseThatIsMissingIsAWarningAtStartAndTempForItsLookups() throws Exception {
        Path socket = directory.resolve("socketmap");
        Path database = directory.resolve("tempmail.db");
        Path config = config("SOCKETMAP_SOCKET_TYPE=unix", "SOCKETMAP_UNIX_SOCKET_PATH=" + socket,
                "DATABASE=" + database);
        Process server = serve(config);
        try {
            BufferedReader log = serverLog(server);
            assertEquals("tempmail serve: warning: capability addresses: capability database missing: " + database
                    + " (" + config + ":6: DATABASE): no such file; lookups answer TEMP and deliveries wait until it "
                    + "is back. Mount its volume or restore the file; for a new installation, `tempmail init` "
                    + "creates it", log.readLine());
            assertTrue(log.readLine().startsWith("tempmail serve: listening on unix:" + socket));
            assertTrue(ask(socket, "rcpt nobody@temp.example.org").startsWith("TEMP address backend unavailable: "
                    + "capability addresses: capability database missing: "));
            assertTrue(log.readLine().contains("backend error for rcpt lookup of nobody@temp.example.org: "
                    + "capability addresses: capability database missing: "));
            assertFalse(Files.exists(database), "serve creates no database");
        } finally {
            server.destroyForcibly();
        }
    }

    private static String ask(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            byte[] body = request.getBytes(StandardCharsets.US_ASCII);
            channel.write(ByteBuffer.wrap((body.length + ":" + request + ",").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer reply = ByteBuffer.allocate(4096);
            while (reply.position() == 0 || reply.get(reply.position() - 1) != ',') {
                if (channel.read(reply) < 0) {
                    break;
                }
            }
            String text = new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII);
            return text.substring(text.indexOf(':') + 1, text.length() - 1);
        }
    }

    /** A real serve process with this configuration. */
    private static Process serve(Path config) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.tempmail.cli.Main",
                "--config", config.toString(), "serve").start();
    }

    private static BufferedReader serverLog(Process server) {
        return new BufferedReader(new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8));
    }
}
