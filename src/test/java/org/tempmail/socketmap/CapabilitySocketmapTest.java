package org.tempmail.socketmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.AddressForm;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.storage.CapabilityResolver;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.NewCapability;

/** The socketmap server answering for capability addresses kept in SQLite (PostgreSQL: the subclass). */
class CapabilitySocketmapTest {
    private static final String DOMAIN = "temp.example.org";

    @TempDir
    Path dir;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();
    private SocketAddress address;

    DatabaseSettings database() throws Exception {
        return new DatabaseSettings(dir.resolve("tempmail.db").toString(), true);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable each : opened) {
            each.close();
        }
    }

    private CapabilityStore serve(DatabaseSettings settings) throws Exception {
        CapabilityResolver resolver = new CapabilityResolver(Fixtures.RESOLVER, new AddressForm("+"),
                "temp.example.org", CapabilityStore.open(settings),
                Fixtures.MAILDROP);
        ListeningSocket socket = ListeningSocket.inet("127.0.0.1", 0);
        address = socket.channel().getLocalAddress();
        SocketmapServer server = new SocketmapServer(socket, new SocketmapResponder(resolver, Fixtures.settings()),
                Fixtures.limits(Duration.ofSeconds(60), 256), Fixtures.CLOCK, log::add);
        server.start();
        opened.add(server::close);
        opened.add(resolver);
        CapabilityStore commandLine = CapabilityStore.open(settings);
        opened.add(commandLine);
        return commandLine;
    }

    private static NewCapability cap(String localPart, boolean enabled, Optional<String> target,
            Optional<Duration> expiresIn) {
        return new NewCapability(localPart, DOMAIN, enabled, target, "note", Fixtures.NOW.minusSeconds(3600),
                expiresIn.map(Fixtures.NOW::plus));
    }

    @Test
    void everyMapAnswersForEnabledDisabledAndExpiredAddresses() throws Exception {
        CapabilityStore store = serve(database());
        store.initialise();
        store.create(cap("enabled1", true, Optional.empty(), Optional.empty()));
        store.create(cap("aliased1", true, Optional.of("family@example.net"), Optional.of(Duration.ofDays(1))));
        store.create(cap("disabled1", false, Optional.empty(), Optional.empty()));
        store.create(cap("expired1", true, Optional.empty(), Optional.of(Duration.ofSeconds(-1))));
        try (TestClient client = TestClient.connect(address)) {
            assertEquals("OK owner@example.org", client.ask("rcpt enabled1@" + DOMAIN));
            assertEquals("OK owner@example.org", client.ask("tempmail Enabled1@" + DOMAIN));
            assertEquals("OK tempmail:", client.ask("transport enabled1@" + DOMAIN));
            assertEquals("OK DUNNO", client.ask("access enabled1@" + DOMAIN));
            assertEquals("OK family@example.net", client.ask("rcpt aliased1@" + DOMAIN));
            for (String map : new String[] {"rcpt", "tempmail", "transport", "access"}) {
                assertEquals("NOTFOUND ", client.ask(map + " disabled1@" + DOMAIN), map);
            }
            assertEquals("NOTFOUND ", client.ask("rcpt expired1@" + DOMAIN));
            assertEquals("NOTFOUND ", client.ask("transport expired1@" + DOMAIN));
            assertEquals("OK REJECT " + Fixtures.EXPIRED_TEXT, client.ask("access expired1@" + DOMAIN));
            assertEquals("OK owner@example.org", client.ask("rcpt " + Fixtures.VALID), "dated addresses still work");
            assertEquals("NOTFOUND ", client.ask("rcpt nobody@" + DOMAIN));
        }
    }

    @Test
    void commandLineChangesHoldForTheNextLookupOnAnOpenConnection() throws Exception {
        CapabilityStore store = serve(database());
        store.initialise();
        try (TestClient client = TestClient.connect(address)) {
            assertEquals("NOTFOUND ", client.ask("rcpt later1@" + DOMAIN));
            store.create(cap("later1", true, Optional.empty(), Optional.empty()));
            assertEquals("OK owner@example.org", client.ask("rcpt later1@" + DOMAIN));
            store.setEnabled("later1", DOMAIN, false, Optional.empty());
            assertEquals("NOTFOUND ", client.ask("rcpt later1@" + DOMAIN));
        }
    }

    @Test
    void anUnreachableDatabaseIsTempNeverNotFound() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        serve(new DatabaseSettings("jdbc:postgresql://127.0.0.1:" + closedPort + "/tempmail?user=x", true));
        try (TestClient client = TestClient.connect(address)) {
            String reply = client.ask("rcpt someone@" + DOMAIN);
            assertTrue(reply.startsWith("TEMP address backend unavailable: capability addresses: "), reply);
            assertEquals("OK owner@example.org", client.ask("rcpt " + Fixtures.VALID));
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("answered TEMP")), log.toString());
    }
}
