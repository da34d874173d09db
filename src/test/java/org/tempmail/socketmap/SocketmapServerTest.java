package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.tempmail.socketmap.Fixtures.EXPIRED;
import static org.tempmail.socketmap.Fixtures.EXPIRED_TEXT;
import static org.tempmail.socketmap.Fixtures.MAILDROP;
import static org.tempmail.socketmap.Fixtures.UNKNOWN;
import static org.tempmail.socketmap.Fixtures.VALID;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolver;

class SocketmapServerTest {
    private static final SocketmapServer.Limits DEFAULT_LIMITS =
            Fixtures.limits(Duration.ofSeconds(60), 256);

    private final List<String> log = new CopyOnWriteArrayList<>();
    private SocketmapServer server;
    private SocketAddress address;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void start(Resolver resolver, SocketmapServer.Limits limits) throws Exception {
        ListeningSocket socket = ListeningSocket.inet("127.0.0.1", 0);
        address = socket.channel().getLocalAddress();
        server = new SocketmapServer(socket, new SocketmapResponder(resolver, Fixtures.settings()), limits,
                Fixtures.CLOCK, log::add);
        server.start();
    }

    private void start() throws Exception {
        start(Fixtures.RESOLVER, DEFAULT_LIMITS);
    }

    private TestClient connect() throws IOException {
        return TestClient.connect(address);
    }

    private boolean logged(String fragment) {
        return log.stream().anyMatch(line -> line.contains(fragment));
    }

    private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void logsTheListenAddressOnStart() throws Exception {
        start();
        assertTrue(log.get(0).startsWith("listening on inet:127.0.0.1:"), log.get(0));
    }

    @Test
    void answersManyRequestsOnOneConnection() throws Exception {
        start();
        try (TestClient client = connect()) {
            for (int i = 0; i < 500; i++) {
                assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
                assertEquals("OK tempmail:", client.ask("transport " + VALID));
                assertEquals("NOTFOUND ", client.ask("transport *"));
                assertEquals("OK REJECT " + EXPIRED_TEXT, client.ask("access " + EXPIRED));
                assertEquals("NOTFOUND ", client.ask("tempmail " + UNKNOWN));
            }
        }
    }

    @Test
    void comparesKeysCaseInsensitively() throws Exception {
        start();
        try (TestClient client = connect()) {
            assertEquals("OK " + MAILDROP, client.ask("tempmail " + VALID.toUpperCase(Locale.ROOT)));
            assertEquals("OK DUNNO", client.ask("access " + VALID.toUpperCase(Locale.ROOT)));
        }
    }

    @Test
    void answersARequestSplitAcrossManyWrites() throws Exception {
        start();
        byte[] request = Netstring.encode("rcpt " + VALID);
        try (TestClient client = connect()) {
            for (byte b : request) {
                client.send(new byte[] {b});
                Thread.sleep(2);
            }
            assertEquals("OK " + MAILDROP, client.readReply());
            assertEquals("NOTFOUND ", client.ask("rcpt " + UNKNOWN));
        }
    }

    @Test
    void answersRequestsSentTogetherInOrder() throws Exception {
        start();
        String both = new String(Netstring.encode("rcpt " + VALID), StandardCharsets.US_ASCII)
                + new String(Netstring.encode("access " + UNKNOWN), StandardCharsets.US_ASCII)
                + new String(Netstring.encode("transport " + VALID), StandardCharsets.US_ASCII).substring(0, 5);
        try (TestClient client = connect()) {
            client.send(both);
            assertEquals("OK " + MAILDROP, client.readReply());
            assertEquals("NOTFOUND ", client.readReply());
            client.send(new String(Netstring.encode("transport " + VALID), StandardCharsets.US_ASCII).substring(5));
            assertEquals("OK tempmail:", client.readReply());
        }
    }

    @Test
    void unknownMapGetsPermAndTheConnectionStaysOpen() throws Exception {
        start();
        try (TestClient client = connect()) {
            assertEquals("PERM unknown map virtual", client.ask("virtual " + VALID));
            assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
        }
        assertTrue(logged("unknown map virtual"), log.toString());
    }

    @Test
    void oddKeysAreNotFoundAndTheConnectionStaysOpen() throws Exception {
        start();
        try (TestClient client = connect()) {
            assertEquals("NOTFOUND ", client.ask("rcpt "));
            assertEquals("NOTFOUND ", client.ask("rcpt no-at-sign"));
            assertEquals("NOTFOUND ", client.ask("rcpt \"quoted local\"@temp.example.org"));
            client.send(Netstring.encode(("rcpt \u00ff\u0000@temp.example.org").getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals("NOTFOUND ", client.readReply());
            assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
        }
    }

    @Test
    void garbageGetsPermAndIsDisconnectedWhileOtherClientsAreServed() throws Exception {
        start();
        try (TestClient other = connect(); TestClient attacker = connect()) {
            assertEquals("OK " + MAILDROP, other.ask("rcpt " + VALID));
            attacker.send("GET / HTTP/1.0\r\n\r\n");
            assertEquals("PERM malformed netstring: expected a length, got 'G'", attacker.readReply());
            assertTrue(attacker.closedByServer(Duration.ofSeconds(5)), "connection left open after garbage");
            assertEquals("OK " + MAILDROP, other.ask("rcpt " + VALID));
        }
        assertTrue(logged("malformed netstring"), log.toString());
    }

    @Test
    void missingCommaGetsPermAndIsDisconnected() throws Exception {
        start();
        try (TestClient client = connect()) {
            client.send("4:rcpt;");
            assertEquals("PERM malformed netstring: no ',' after 4 bytes", client.readReply());
            assertTrue(client.closedByServer(Duration.ofSeconds(5)));
        }
    }

    @Test
    void requestOfExactlyTheLimitIsAnswered() throws Exception {
        start();
        String request = "rcpt " + "a".repeat(512 - 5 - "@temp.example.org".length()) + "@temp.example.org";
        assertEquals(512, request.length());
        try (TestClient client = connect()) {
            assertEquals("NOTFOUND ", client.ask(request));
            assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
        }
    }

    @Test
    void overlongRequestGetsPermAndIsDisconnected() throws Exception {
        start();
        try (TestClient client = connect()) {
            client.send("513:");
            assertEquals("PERM netstring longer than 512 bytes", client.readReply());
            assertTrue(client.closedByServer(Duration.ofSeconds(5)));
        }
        try (TestClient client = connect()) {
            client.send("99999999999999999999:");
            assertEquals("PERM netstring longer than 512 bytes", client.readReply());
        }
        assertTrue(logged("netstring longer than 512 bytes; answered PERM and closed the connection"),
                log.toString());
    }

    @Test
    void silentClientIsDroppedAfterTheIdleTimeoutWhileAnotherIsServed() throws Exception {
        // Margins are wide so that a machine busy with other builds does not make the busy client look idle.
        start(Fixtures.RESOLVER, Fixtures.limits(Duration.ofMillis(800), 256));
        try (TestClient silent = connect(); TestClient answered = connect(); TestClient busy = connect()) {
            assertEquals("OK " + MAILDROP, answered.ask("rcpt " + VALID));
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofMillis(2000).toNanos()) {
                assertEquals("OK " + MAILDROP, busy.ask("rcpt " + VALID));
                Thread.sleep(20);
            }
            assertTrue(silent.closedByServer(Duration.ofSeconds(2)), "silent client not dropped");
            assertTrue(answered.closedByServer(Duration.ofSeconds(2)), "client silent after an answer not dropped");
            assertEquals("OK " + MAILDROP, busy.ask("rcpt " + VALID));
        }
        assertTrue(logged("idle for more than 800 ms; disconnected"), log.toString());
    }

    @Test
    void clientTricklingARequestIsDroppedAtTheRequestTimeoutThoughBytesKeepComing() throws Exception {
        start(Fixtures.RESOLVER, new SocketmapServer.Limits(512, Duration.ofSeconds(60), Duration.ofSeconds(1), 256,
                256));
        try (TestClient trickler = connect(); TestClient busy = connect()) {
            String request = new String(Netstring.encode("rcpt " + VALID), StandardCharsets.ISO_8859_1);
            long start = System.nanoTime();
            boolean dropped = false;
            for (int i = 0; i < request.length() - 1 && !dropped; i++) {
                try {
                    trickler.send(request.substring(i, i + 1));
                } catch (IOException e) {
                    dropped = true;
                }
                assertEquals("OK " + MAILDROP, busy.ask("rcpt " + VALID));
                dropped = dropped || trickler.closedByServer(Duration.ofMillis(150));
            }
            long took = System.nanoTime() - start;
            assertTrue(dropped || trickler.closedByServer(Duration.ofSeconds(2)), "trickling client kept its slot");
            assertTrue(took > Duration.ofMillis(900).toNanos(), "dropped before the request timeout");
        }
        waitFor(() -> logged("request not complete within 1 s; disconnected"), "the log line");
    }

    @Test
    void clientThatReadsNoAnswersIsDroppedAtTheRequestTimeout() throws Exception {
        start(Fixtures.RESOLVER, new SocketmapServer.Limits(512, Duration.ofSeconds(60), Duration.ofSeconds(1), 256,
                256));
        try (SocketChannel deaf = SocketChannel.open()) {
            deaf.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            deaf.connect(address);
            deaf.configureBlocking(false);
            ByteBuffer requests = ByteBuffer.wrap(new String(Netstring.encode("rcpt " + VALID),
                    StandardCharsets.ISO_8859_1).repeat(1000).getBytes(StandardCharsets.ISO_8859_1));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!logged("answer not read within 1 s") && System.nanoTime() < deadline) {
                try {
                    if (!requests.hasRemaining()) {
                        requests.rewind();
                    }
                    deaf.write(requests);
                } catch (IOException e) {
                    break;
                }
                Thread.sleep(5);
            }
            // The watchdog closes the socket first; the serving thread logs when its blocked write fails, which
            // can be after this client has seen the close.
            waitFor(() -> logged("answer not read within 1 s; disconnected"), "the slow reader's log line: " + log);
            waitFor(() -> server.openConnections() == 0, "the deaf client's slot to free");
        }
    }

    @Test
    void fullServerClosesTheLongestUnansweredConnectionToServeANewClient() throws Exception {
        start(Fixtures.RESOLVER, Fixtures.limits(Duration.ofSeconds(60), 2));
        try (TestClient answered = connect(); TestClient silent = connect()) {
            waitFor(() -> server.openConnections() == 2, "both connections");
            assertEquals("OK " + MAILDROP, answered.ask("rcpt " + VALID));
            try (TestClient newcomer = connect()) {
                assertEquals("OK " + MAILDROP, newcomer.ask("rcpt " + VALID));
            }
            assertTrue(silent.closedByServer(Duration.ofSeconds(5)), "the longest unanswered client kept its slot");
            assertEquals("OK " + MAILDROP, answered.ask("rcpt " + VALID));
        }
        assertTrue(logged("connection limit of 2 reached: closed client #2"), log.toString());
    }

    @Test
    void fullServerWhoseEveryClientIsBeingAnsweredGivesANewClientTemp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Resolver slow = (key, at) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Fixtures.RESOLVER.resolve(key, at);
        };
        start(slow, Fixtures.limits(Duration.ofSeconds(60), 1));
        try (TestClient waiting = connect()) {
            waiting.send(Netstring.encode("rcpt " + VALID));
            waitFor(() -> server.openConnections() == 1, "the first connection");
            Thread.sleep(200);
            try (TestClient newcomer = connect()) {
                assertEquals("TEMP server busy: too many connections", newcomer.readReply());
            }
            release.countDown();
            assertEquals("OK " + MAILDROP, waiting.readReply());
        }
        assertTrue(logged("connection limit of 1 reached and every client is being answered"), log.toString());
    }

    @Test
    void aRemotePeerGetsTempBeyondItsShareOfTheSlots() throws Exception {
        InetAddress own = nonLoopbackAddress();
        ListeningSocket socket = ListeningSocket.inet(own.getHostAddress(), 0);
        address = socket.channel().getLocalAddress();
        server = new SocketmapServer(socket, new SocketmapResponder(Fixtures.RESOLVER, Fixtures.settings()),
                new SocketmapServer.Limits(512, Duration.ofSeconds(60), Duration.ofSeconds(5), 8, 2),
                Fixtures.CLOCK, log::add);
        server.start();
        try (TestClient first = connect(); TestClient second = connect(); TestClient third = connect()) {
            assertEquals("OK " + MAILDROP, first.ask("rcpt " + VALID));
            assertEquals("OK " + MAILDROP, second.ask("rcpt " + VALID));
            assertEquals("TEMP server busy: too many connections from your address", third.readReply());
            assertTrue(third.closedByServer(Duration.ofSeconds(5)));
        }
        assertTrue(logged("too many connections from " + own.getHostAddress()), log.toString());
    }

    /** An address of this host's that is not loopback, so that a client connecting to it counts as remote. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!network.isUp() || network.isLoopback()) {
                continue;
            }
            for (InetAddress candidate : Collections.list(network.getInetAddresses())) {
                if (candidate instanceof Inet4Address) {
                    return candidate;
                }
            }
        }
        Assumptions.abort("this host has no IPv4 address but loopback");
        throw new AssertionError();
    }

    @Test
    void backendFailureAnswersTempAndTheConnectionKeepsWorking() throws Exception {
        Resolver flaky = (key, at) -> {
            if (key.startsWith("down")) {
                throw new BackendException("database unreachable", null);
            }
            if (key.startsWith("bug")) {
                throw new IllegalStateException("unexpected");
            }
            return Fixtures.RESOLVER.resolve(key, at);
        };
        start(flaky, DEFAULT_LIMITS);
        try (TestClient client = connect()) {
            assertEquals("TEMP address backend unavailable: database unreachable",
                    client.ask("rcpt down@temp.example.org"));
            assertEquals("TEMP internal error", client.ask("transport bug@temp.example.org"));
            assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
        }
        assertTrue(logged("backend error for rcpt lookup of down@temp.example.org: database unreachable"),
                log.toString());
        assertTrue(logged("IllegalStateException: unexpected"), log.toString());
    }

    @Test
    void aBackendThatStaysDownIsLoggedOncePerIntervalNotPerLookup() throws Exception {
        start((key, at) -> {
            throw new BackendException("capability database missing: x", null);
        }, DEFAULT_LIMITS);
        try (TestClient client = connect()) {
            for (int i = 0; i < 200; i++) {
                assertEquals("TEMP address backend unavailable: capability database missing: x",
                        client.ask("rcpt a" + i + "@temp.example.org"));
            }
        }
        assertEquals(1, log.stream().filter(l -> l.contains("capability database missing")).count(),
                "200 lookups within " + SocketmapServer.TEMP_LOG_INTERVAL + ": " + log);
    }

    @Test
    void clientLeavingMidRequestIsLoggedAndHarmless() throws Exception {
        start();
        try (TestClient client = connect()) {
            client.send("20:rcpt abc");
        }
        waitFor(() -> logged("closed the connection in the middle of a request"), "the log line");
        try (TestClient client = connect()) {
            assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
        }
    }

    @Test
    void closeDisconnectsClientsAndLogs() throws Exception {
        start();
        try (TestClient client = connect()) {
            assertEquals("OK " + MAILDROP, client.ask("rcpt " + VALID));
            server.close();
            assertTrue(client.closedByServer(Duration.ofSeconds(5)));
        }
        assertTrue(logged("stopped listening on inet:127.0.0.1:"), log.toString());
        assertTrue(logged("closed 1 connection"), log.toString());
        assertFalse(logged("connection error"), log.toString());
    }
}
