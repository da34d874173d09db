package org.tempmail.handoff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.socketmap.ListeningSocket;

/** A deliver process handing its message to the server, over a real unix socket, with handlers standing in. */
class HandoffTest {
    private static final List<String> ARGUMENTS = List.of("--sender", "", "--recipient", "a1b2c3d4@temp.example.org");

    @TempDir
    Path dir;
    Path socket;
    Path config;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final List<HandoffServer> servers = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        socket = dir.resolve("deliver.socket");
        config = dir.resolve("tempmail.cf");
        Files.writeString(config, "DOMAIN=temp.example.org\n");
    }

    @AfterEach
    void tearDown() {
        servers.forEach(HandoffServer::close);
    }

    private HandoffServer serve(HandoffHandler handler, int slots) throws Exception {
        HandoffServer server = new HandoffServer(ListeningSocket.unix(socket, Optional.empty(), Optional.empty(), 0600),
                clientConfig -> clientConfig.equals(config) ? Optional.empty() : Optional.of("another file"), handler,
                new HandoffServer.Limits(slots, Duration.ofSeconds(10), Duration.ofSeconds(30)), log::add);
        server.start();
        servers.add(server);
        return server;
    }

    private Optional<HandoffClient.Outcome> send(String message) {
        return send(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private Optional<HandoffClient.Outcome> send(InputStream message) {
        return new HandoffClient(socket, Duration.ofSeconds(5))
                .deliver(new HandoffRequest(config.toString(), "/etc/postfix-out", ARGUMENTS), message);
    }

    @Test
    void theServerDeliversEveryByteAndTheClientReportsItsStatusAndOutput() throws Exception {
        byte[] message = new byte[3 * 1024 * 1024 + 17];
        new Random(4).nextBytes(message);
        AtomicReference<HandoffRequest> seen = new AtomicReference<>();
        AtomicReference<byte[]> received = new AtomicReference<>();
        serve((request, in, readWhole, out) -> {
            seen.set(request);
            try {
                received.set(in.readAllBytes());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            out.println("5.1.1 <a1b2c3d4@temp.example.org>: no such temporary address");
            return 67;
        }, 4);

        Optional<HandoffClient.Outcome> outcome = send(new ByteArrayInputStream(message));

        assertEquals(Optional.of(new HandoffClient.Outcome(67,
                "5.1.1 <a1b2c3d4@temp.example.org>: no such temporary address\n")), outcome);
        assertEquals(new HandoffRequest(config.toString(), "/etc/postfix-out", ARGUMENTS), seen.get());
        assertArrayEquals(message, received.get());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void aRefusalThatReadsOnlyTheHeaderStillReachesTheClient() throws Exception {
        serve((request, in, readWhole, out) -> {
            out.println("5.1.1 <a1b2c3d4@temp.example.org>: no such temporary address");
            return 67;
        }, 4);
        byte[] message = new byte[8 * 1024 * 1024];
        assertEquals(67, send(new ByteArrayInputStream(message)).orElseThrow().status());
    }

    @Test
    void withoutAServerTheMessageIsLeftUnreadForTheClientsOwnDelivery() throws Exception {
        ByteArrayInputStream message = new ByteArrayInputStream(new byte[100]);
        assertEquals(Optional.empty(), send(message));
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertEquals(Optional.empty(), send(message), "a socket file left by a dead server");
        assertEquals(100, message.available());
    }

    @Test
    void aClientWhoseConfigurationTheServerDoesNotServeIsDeclinedWithTheMessageUnread() throws Exception {
        serve((request, in, readWhole, out) -> 0, 4);
        Path other = dir.resolve("other.cf");
        Files.writeString(other, "DOMAIN=temp.example.org\n");
        ByteArrayInputStream message = new ByteArrayInputStream(new byte[100]);
        Optional<HandoffClient.Outcome> outcome = new HandoffClient(socket, Duration.ofSeconds(5))
                .deliver(new HandoffRequest(other.toString(), "", ARGUMENTS), message);
        assertEquals(Optional.empty(), outcome);
        assertEquals(100, message.available(), "nothing of the message was read");
        assertTrue(log.contains("deliveries: declined client 1: another file; it delivers in its own process"),
                log::toString);
        assertEquals(Optional.of(new HandoffClient.Outcome(0, "")), send(message), "its own file is served");
    }

    @Test
    void whenEverySlotIsBusyTheNextClientDeliversItself() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch busy = new CountDownLatch(1);
        serve((request, in, readWhole, out) -> {
            busy.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }, 1);
        Thread first = new Thread(() -> send("first\n"));
        first.start();
        assertTrue(busy.await(10, TimeUnit.SECONDS));

        ByteArrayInputStream second = new ByteArrayInputStream(new byte[10]);
        assertEquals(Optional.empty(), send(second));
        assertEquals(10, second.available());
        release.countDown();
        first.join();
        assertTrue(log.stream().anyMatch(line -> line.contains("all 1 delivery slots are busy")), log::toString);
    }

    @Test
    void aDeliveryThatBreaksOrIsCutOffDefers() throws Exception {
        HandoffServer server = serve((request, in, readWhole, out) -> {
            throw new IllegalStateException("bug");
        }, 4);
        HandoffClient.Outcome broken = send("x\n").orElseThrow();
        assertEquals(75, broken.status());
        assertEquals("4.3.0 tempmail deliver: the delivery server failed while delivering\n", broken.output());
        assertTrue(broken.detail().startsWith("the delivery server at " + socket + " failed while delivering: "),
                broken.detail());
        assertTrue(log.contains("deliveries: client 1: internal error: java.lang.IllegalStateException: bug"),
                log::toString);
        server.close();

        CountDownLatch started = new CountDownLatch(1);
        HandoffServer stopping = serve((request, in, readWhole, out) -> {
            started.countDown();
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }, 4);
        new Thread(() -> {
            try {
                started.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            stopping.close();
        }).start();
        assertEquals(75, send("y\n").orElseThrow().status(), "a server stopped in the middle");
    }

    @Test
    void aServerThatNeverAnswersIsGivenUpAndTheMessageStaysUnread() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            ByteArrayInputStream message = new ByteArrayInputStream(new byte[10]);
            long start = System.nanoTime();
            Optional<HandoffClient.Outcome> outcome = new HandoffClient(socket, Duration.ofMillis(300))
                    .deliver(new HandoffRequest(config.toString(), "", ARGUMENTS), message);
            assertEquals(Optional.empty(), outcome);
            assertEquals(10, message.available());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        }
    }

    @Test
    void garbageFromOneClientLeavesTheNextOneAlone() throws Exception {
        serve((request, in, readWhole, out) -> 0, 4);
        try (SocketChannel rogue = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = Channels.newOutputStream(rogue);
            out.write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals(-1, Channels.newInputStream(rogue).read(), "the server hangs up");
        }
        assertEquals(Optional.of(new HandoffClient.Outcome(0, "")), send("z\n"));
        assertTrue(log.stream().anyMatch(line -> line.contains("malformed netstring length")), log::toString);
    }
}
