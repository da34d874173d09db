package org.tempmail.lmtp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.delivery.DeliveryOutcome;
import org.tempmail.socketmap.ListeningSocket;

/** The server's bounds over a real unix socket: a silent client is cut off, a session past the limit gets 421. */
class LmtpServerTest {
    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    private LmtpServer start(int maxSessions, Duration timeout) throws Exception {
        LmtpDeliveries deliveries = new LmtpDeliveries() {
            @Override
            public void messageStarts() {
            }

            @Override
            public Path newMessageFile() throws IOException {
                return Files.createTempFile(dir, "m", ".msg");
            }

            @Override
            public DeliveryOutcome deliver(String sender, String recipient, ReceivedMessage message) {
                return new DeliveryOutcome(0, "2.0.0", "ok");
            }
        };
        LmtpServer server = new LmtpServer(ListeningSocket.unix(dir.resolve("lmtp"), Optional.empty(),
                Optional.empty(), 0600), "mx", deliveries,
                new LmtpServer.Limits(maxSessions, 2, new SessionLimits(1_000_000, 10, timeout)), log::add);
        server.start();
        return server;
    }

    private SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(dir.resolve("lmtp")));
        return channel;
    }

    private static String readAll(SocketChannel channel) throws IOException {
        InputStream in = Channels.newInputStream(channel);
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }

    @Test
    void aClientThatSendsNothingIsDisconnectedAfterTheTimeoutInTheMiddleOfDataToo() throws Exception {
        try (LmtpServer server = start(4, Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            try (SocketChannel idle = connect()) {
                assertTrue(readAll(idle).startsWith("220 mx "), "greeted, then closed");
            }
            try (SocketChannel stalled = connect()) {
                Channels.newOutputStream(stalled).write(("LHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n"
                        + "Subject: half").getBytes(StandardCharsets.US_ASCII));
                assertTrue(readAll(stalled).contains("354 "));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds < 6, "cut off after about 1 s each, took " + seconds + " s");
            assertTrue(log.stream().anyMatch(l -> l.contains("nothing received for 1 s; disconnected")),
                    log.toString());
            // The session removes it as it ends, which may be just after the client saw the connection close.
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            List<Path> left;
            do {
                Thread.sleep(20);
                try (var files = Files.list(dir)) {
                    left = files.toList();
                }
            } while (left.size() > 1 && System.nanoTime() < deadline);
            assertEquals(List.of(dir.resolve("lmtp")), left, "the half message is not kept");
        }
    }

    @Test
    void aSessionPastTheLimitGets421AndTheOthersGoOn() throws Exception {
        try (LmtpServer server = start(1, Duration.ofSeconds(30)); SocketChannel first = connect()) {
            InputStream in = Channels.newInputStream(first);
            assertEquals('2', in.read(), "the first session is greeted");
            try (SocketChannel second = connect()) {
                assertEquals("421 4.3.2 mx too busy, try again later\r\n", readAll(second));
            }
        }
    }
}
