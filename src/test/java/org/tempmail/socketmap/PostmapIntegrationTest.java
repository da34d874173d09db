package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tempmail.socketmap.Fixtures.EXPIRED;
import static org.tempmail.socketmap.Fixtures.EXPIRED_TEXT;
import static org.tempmail.socketmap.Fixtures.MAILDROP;
import static org.tempmail.socketmap.Fixtures.UNKNOWN;
import static org.tempmail.socketmap.Fixtures.VALID;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolver;
import org.tempmail.testsupport.RequiredTool;

/** Postfix's own socketmap client, postmap -q, asks the server over TCP and over a unix socket. */
class PostmapIntegrationTest {
    @TempDir
    Path directory;

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<SocketmapServer> servers = new CopyOnWriteArrayList<>();
    private Path postmap;

    private record Result(int status, String out, String err) {
    }

    @BeforeEach
    void requirePostmap() {
        postmap = RequiredTool.requireExecutable("/usr/sbin/postmap", "Debian's postfix package");
    }

    @AfterEach
    void stop() {
        servers.forEach(SocketmapServer::close);
    }

    /** Starts a server whose resolver fails for keys starting with "down", and returns its socketmap address. */
    private String start(ListeningSocket socket) {
        Resolver resolver = (key, at) -> {
            if (key.startsWith("down")) {
                throw new BackendException("backend unreachable", null);
            }
            return Fixtures.RESOLVER.resolve(key, at);
        };
        SocketmapServer server = new SocketmapServer(socket, new SocketmapResponder(resolver, Fixtures.settings()),
                Fixtures.limits(Duration.ofSeconds(60), 16), Fixtures.CLOCK, log::add);
        servers.add(server);
        server.start();
        return server.address();
    }

    private Result query(String key, String table) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(postmap.toString(), "-q", key, "socketmap:" + table)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "postmap hangs");
        return new Result(process.exitValue(), out, err);
    }

    private void checkAllMaps(String address) throws Exception {
        assertEquals(new Result(0, MAILDROP, ""), query(VALID, address + ":tempmail"));
        assertEquals(new Result(0, MAILDROP, ""), query(VALID.toUpperCase(Locale.ROOT), address + ":rcpt"));
        assertEquals(new Result(0, "tempmail:", ""), query(VALID, address + ":transport"));
        assertEquals(new Result(0, "DUNNO", ""), query(VALID, address + ":access"));
        assertEquals(new Result(0, "REJECT " + EXPIRED_TEXT, ""), query(EXPIRED, address + ":access"));
        assertEquals(1, query(EXPIRED, address + ":rcpt").status());
        assertEquals(1, query(UNKNOWN, address + ":tempmail").status());
        assertEquals(1, query("*", address + ":transport").status());
        assertEquals(1, query(UNKNOWN, address + ":access").status());

        Result down = query("down@temp.example.org", address + ":rcpt");
        assertTrue(down.status() != 0 && down.err().contains("query error"), down.toString());
        assertTrue(down.err().contains("temporary error: address backend unavailable: backend unreachable"),
                down.toString());
        Result unknownMap = query(VALID, address + ":nosuchmap");
        assertTrue(unknownMap.status() != 0 && unknownMap.err().contains("unknown map nosuchmap"),
                unknownMap.toString());
    }

    @Test
    void postmapQueriesTheServerOverTcp() throws Exception {
        checkAllMaps(start(ListeningSocket.inet("127.0.0.1", 0)));
    }

    @Test
    void postmapQueriesTheServerOverAUnixSocket() throws Exception {
        Path socket = directory.resolve("socketmap");
        String address = start(ListeningSocket.unix(socket, Optional.empty(), Optional.empty(), 0666));
        assertEquals("unix:" + socket, address);
        checkAllMaps(address);
    }

    @Test
    void postmapReadsManyKeysOverOneConnection() throws Exception {
        String address = start(ListeningSocket.inet("127.0.0.1", 0));
        Process process = new ProcessBuilder(postmap.toString(), "-q", "-", "socketmap:" + address + ":rcpt")
                .start();
        String keys = String.join("\n", VALID, UNKNOWN, EXPIRED, VALID.toUpperCase(Locale.ROOT)) + "\n";
        process.getOutputStream().write(keys.getBytes(StandardCharsets.US_ASCII));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(VALID + "\t" + MAILDROP + "\n" + VALID.toUpperCase(Locale.ROOT) + "\t" + MAILDROP + "\n", out);
    }

    @Test
    void postmapGetsItsAnswersWhileTricklingClientsHoldEverySlot() throws Exception {
        String address = start(ListeningSocket.inet("127.0.0.1", 0));
        InetSocketAddress server = new InetSocketAddress("127.0.0.1",
                Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        // A request of 500 bytes that arrives one byte per round never ends within the test.
        byte[] start = "500:rcpt ".getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> tricklers = new ArrayList<>();
        int[] sent = new int[16];
        try {
            for (int i = 0; i < 16; i++) {
                tricklers.add(SocketChannel.open(server));
            }
            long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            int queries = 0;
            while (System.nanoTime() < until) {
                for (int i = 0; i < tricklers.size(); i++) {
                    byte next = sent[i] < start.length ? start[sent[i]] : (byte) 'a';
                    sent[i]++;
                    try {
                        tricklers.get(i).write(ByteBuffer.wrap(new byte[] {next}));
                    } catch (IOException e) {
                        // Closed by the server; replaced below.
                    }
                }
                assertEquals(new Result(0, MAILDROP, ""), query(VALID, address + ":rcpt"));
                queries++;
                // The slots postmap freed are taken again at once, as a hostile local user would.
                for (int i = 0; i < tricklers.size(); i++) {
                    if (!stillConnected(tricklers.get(i))) {
                        tricklers.get(i).close();
                        tricklers.set(i, SocketChannel.open(server));
                        sent[i] = 0;
                    }
                }
            }
            assertTrue(queries >= 3, "only " + queries + " queries");
        } finally {
            for (SocketChannel trickler : tricklers) {
                trickler.close();
            }
        }
        assertTrue(log.stream().anyMatch(line -> line.contains("connection limit of 16 reached: closed client #")),
                log.toString());
    }

    /** False once the server has closed the connection (a read gives end of stream or a reset). */
    private static boolean stillConnected(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        try {
            return channel.read(ByteBuffer.allocate(64)) >= 0;
        } catch (IOException e) {
            return false;
        } finally {
            channel.configureBlocking(true);
        }
    }
}
