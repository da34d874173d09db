package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tempmail.socketmap.Fixtures.MAILDROP;
import static org.tempmail.socketmap.Fixtures.VALID;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListeningSocketTest {
    @TempDir
    Path directory;

    private final List<String> log = new ArrayList<>();

    private SocketmapServer serve(ListeningSocket socket) {
        SocketmapServer server = new SocketmapServer(socket, Fixtures.responder(),
                Fixtures.limits(Duration.ofSeconds(60), 16), Fixtures.CLOCK, log::add);
        server.start();
        return server;
    }

    private static String ask(Path socket, String request) throws IOException {
        try (TestClient client = TestClient.connect(UnixDomainSocketAddress.of(socket))) {
            return client.ask(request);
        }
    }

    private static ListeningSocket unix(Path path, int mode) throws ServerStartException {
        return ListeningSocket.unix(path, Optional.empty(), Optional.empty(), mode);
    }

    @Test
    void servesOnAUnixSocketWithTheConfiguredModeAndRemovesItOnClose() throws Exception {
        Path path = directory.resolve("socketmap");
        SocketmapServer server = serve(unix(path, 0660));
        try {
            assertEquals("OK " + MAILDROP, ask(path, "rcpt " + VALID));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals(List.of(path), filesIn(directory), "the socket is bound elsewhere and moved into place");
            assertTrue(log.get(0).startsWith("listening on unix:" + path), log.get(0));
        } finally {
            server.close();
        }
        assertFalse(Files.exists(path), "socket file left behind");
    }

    @Test
    void appliesAnyMode() throws Exception {
        Path path = directory.resolve("private");
        try (ListeningSocket socket = unix(path, 0600)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        }
    }

    @Test
    void replacesAStaleSocketLeftByADeadServer() throws Exception {
        Path path = directory.resolve("socketmap");
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(path));
        dead.close();
        assertTrue(Files.exists(path), "a closed channel leaves its socket file, like a killed server");
        SocketmapServer server = serve(unix(path, 0660));
        try {
            assertEquals("OK " + MAILDROP, ask(path, "rcpt " + VALID));
        } finally {
            server.close();
        }
    }

    @Test
    void neverTakesOverALiveServersSocket() throws Exception {
        Path path = directory.resolve("socketmap");
        SocketmapServer live = serve(unix(path, 0660));
        try {
            ServerStartException error = assertThrows(ServerStartException.class, () -> unix(path, 0660));
            assertEquals("cannot listen on unix:" + path + ": another server is listening there (stop it first)",
                    error.getMessage());
            assertEquals("OK " + MAILDROP, ask(path, "rcpt " + VALID));
        } finally {
            live.close();
        }
    }

    @Test
    void refusesToReplaceAFileThatIsNotASocket() throws Exception {
        Path path = directory.resolve("socketmap");
        Files.writeString(path, "precious");
        ServerStartException error = assertThrows(ServerStartException.class, () -> unix(path, 0660));
        assertEquals("cannot listen on unix:" + path + ": " + path + " exists and is not a socket",
                error.getMessage());
        assertEquals("precious", Files.readString(path));
    }

    @Test
    void namesAMissingDirectory() {
        Path path = directory.resolve("missing/socketmap");
        ServerStartException error = assertThrows(ServerStartException.class, () -> unix(path, 0660));
        assertEquals("cannot listen on unix:" + path + ": directory " + directory.resolve("missing")
                + " does not exist", error.getMessage());
    }

    @Test
    void setsOwnerAndGroupGivenAsNumbersOrNames() throws Exception {
        int uid = (Integer) Files.getAttribute(directory, "unix:uid");
        int gid = (Integer) Files.getAttribute(directory, "unix:gid");
        String userName = Files.getOwner(directory).getName();
        Path byNumber = directory.resolve("by-number");
        try (ListeningSocket socket = ListeningSocket.unix(byNumber, Optional.of(Integer.toString(uid)),
                Optional.of(Integer.toString(gid)), 0660)) {
            assertEquals(uid, Files.getAttribute(byNumber, "unix:uid"));
            assertEquals(gid, Files.getAttribute(byNumber, "unix:gid"));
        }
        Path byName = directory.resolve("by-name");
        try (ListeningSocket socket = ListeningSocket.unix(byName, Optional.of(userName), Optional.empty(), 0660)) {
            assertEquals(uid, Files.getAttribute(byName, "unix:uid"));
        }
    }

    @Test
    void unknownOwnerOrGroupIsAStartupErrorAndLeavesNoSocket() throws IOException {
        Path path = directory.resolve("socketmap");
        ServerStartException owner = assertThrows(ServerStartException.class,
                () -> ListeningSocket.unix(path, Optional.of("no-such-user-tm"), Optional.empty(), 0660));
        assertEquals("SOCKETMAP_UNIX_SOCKET_OWNER_UID=no-such-user-tm: no such user", owner.getMessage());
        ServerStartException group = assertThrows(ServerStartException.class,
                () -> ListeningSocket.unix(path, Optional.empty(), Optional.of("no-such-group-tm"), 0660));
        assertEquals("SOCKETMAP_UNIX_SOCKET_OWNER_GID=no-such-group-tm: no such group", group.getMessage());
        assertEquals(List.of(), filesIn(directory));
    }

    @Test
    void replacesTheScratchSocketOfAStartThatDiedHalfway() throws Exception {
        Path path = directory.resolve("socketmap");
        ServerSocketChannel halfway = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        halfway.bind(UnixDomainSocketAddress.of(directory.resolve("socketmap.new")));
        halfway.close();
        try (ListeningSocket socket = unix(path, 0660)) {
            assertEquals(List.of(path), filesIn(directory));
        }
    }

    private static List<Path> filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.sorted().toList();
        }
    }

    @Test
    void portInUseIsAStartupError() throws Exception {
        try (ListeningSocket first = ListeningSocket.inet("127.0.0.1", 0)) {
            String busy = first.address();
            int port = Integer.parseInt(busy.substring(busy.lastIndexOf(':') + 1));
            ServerStartException error = assertThrows(ServerStartException.class,
                    () -> ListeningSocket.inet("127.0.0.1", port));
            assertEquals("cannot listen on " + busy + ": Address already in use", error.getMessage());
        }
    }

    @Test
    void unknownInterfaceIsAStartupError() {
        ServerStartException error = assertThrows(ServerStartException.class,
                () -> ListeningSocket.inet("no-such-host.invalid", 0));
        assertTrue(error.getMessage().startsWith("cannot listen on inet:no-such-host.invalid:0: unknown host"),
                error.getMessage());
    }
}
