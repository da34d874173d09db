package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tempmail.address.AddressForm;
import org.tempmail.address.BackendException;
import org.tempmail.address.Resolution;
import org.tempmail.address.Resolver;
import org.tempmail.config.DatabaseSettings;

/** What the store and the resolver must do on every database tempmail supports. */
abstract class CapabilityStoreContract {
    static final Instant NOW = Instant.parse("2026-11-22T11:00:00Z");
    static final String MAILDROP = "owner@example.org";
    /** Stands in for the dated scheme: knows one address and nothing else. */
    static final Resolver DATED = (address, at) -> address.equals("dated@temp.example.org")
            ? new Resolution.Valid(MAILDROP, NOW.plusSeconds(60)) : Resolution.UNKNOWN;

    private final List<CapabilityStore> opened = new ArrayList<>();
    DatabaseSettings settings;
    CapabilityStore store;

    /** A new, empty database, not initialised yet. */
    abstract DatabaseSettings newDatabase() throws Exception;

    /** A database no process can reach. */
    abstract DatabaseSettings unreachableDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        settings = newDatabase();
        store = open(settings);
        store.initialise();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(CapabilityStore::close);
    }

    CapabilityStore open(DatabaseSettings where) {
        CapabilityStore opening = CapabilityStore.open(where);
        opened.add(opening);
        return opening;
    }

    static NewCapability cap(String localPart, String note) {
        return new NewCapability(localPart, "temp.example.org", true, Optional.empty(), note, NOW,
                Optional.empty());
    }

    @Test
    void findsAnAddressWhateverTheCaseAndRefusesTheSameLocalPartTwicePerDomain() throws Exception {
        store.create(cap("ShopXyz", "the shop"));
        Capability found = store.find("shopxyz", "TEMP.example.org").orElseThrow();
        assertEquals("ShopXyz@temp.example.org", found.address());
        assertEquals("the shop", found.note());
        assertTrue(found.enabled());
        assertEquals(NOW, found.created());
        assertEquals(0, found.messageCount());
        assertThrows(DuplicateAddressException.class, () -> store.create(cap("SHOPXYZ", "again")));
        store.create(new NewCapability("shopxyz", "other.example.org", true, Optional.empty(), "", NOW,
                Optional.empty()));
        assertEquals(Optional.empty(), store.find("shopxy", "temp.example.org"));
    }

    @Test
    void theResolverAnswersForEnabledDisabledAndExpiredAddresses() throws Exception {
        store.create(cap("enabled1", "Bäckerei Müller"));
        store.create(new NewCapability("aliased1", "temp.example.org", true, Optional.of("alias@example.net"),
                "", NOW, Optional.empty()));
        store.create(new NewCapability("disabled1", "temp.example.org", false, Optional.empty(), "", NOW,
                Optional.empty()));
        Instant expiry = NOW.plus(Duration.ofDays(1));
        store.create(new NewCapability("expiring1", "temp.example.org", true, Optional.empty(), "", NOW,
                Optional.of(expiry)));
        CapabilityResolver resolver = new CapabilityResolver(DATED, new AddressForm("+"),
                "temp.example.org", open(settings), MAILDROP);

        assertEquals(new Resolution.Valid(MAILDROP, Resolution.Valid.NO_EXPIRY, Optional.of(
                new Resolution.Capability("enabled1@temp.example.org", "Bäckerei Müller"))),
                resolver.resolve("ENABLED1@temp.example.org", NOW));
        assertEquals("alias@example.net",
                ((Resolution.Valid) resolver.resolve("aliased1@temp.example.org", NOW)).target());
        assertEquals(Resolution.UNKNOWN, resolver.resolve("disabled1@temp.example.org", NOW));
        Resolution.Valid beforeExpiry = (Resolution.Valid) resolver.resolve("expiring1@temp.example.org",
                expiry.minusMillis(1));
        assertEquals(expiry, beforeExpiry.validUntil());
        assertEquals(new Resolution.Expired(expiry), resolver.resolve("expiring1@temp.example.org", expiry));
        assertEquals(Resolution.UNKNOWN, resolver.resolve("nobody@temp.example.org", NOW));
        assertEquals(Resolution.UNKNOWN, resolver.resolve("not-an-address", NOW));
        assertEquals(new Resolution.Valid(MAILDROP, NOW.plusSeconds(60)),
                resolver.resolve("dated@temp.example.org", NOW));
    }

    @Test
    void aChangeByAnotherProcessHoldsForTheNextLookup() throws Exception {
        CapabilityResolver server = new CapabilityResolver(DATED, new AddressForm("+"),
                "temp.example.org", open(settings), MAILDROP);
        assertEquals(Resolution.UNKNOWN, server.resolve("later1@temp.example.org", NOW));
        CapabilityStore commandLine = open(settings);
        commandLine.create(cap("later1", "made while the server runs"));
        assertInstanceOf(Resolution.Valid.class, server.resolve("later1@temp.example.org", NOW));
        commandLine.setEnabled("later1", "temp.example.org", false, Optional.of("sold my address"));
        assertEquals(Resolution.UNKNOWN, server.resolve("later1@temp.example.org", NOW));
        assertEquals("sold my address", store.find("later1", "temp.example.org").orElseThrow().note());
        commandLine.setEnabled("LATER1", "temp.example.org", true, Optional.empty());
        assertInstanceOf(Resolution.Valid.class, server.resolve("later1@temp.example.org", NOW));
        assertEquals(Optional.empty(), commandLine.setEnabled("none", "temp.example.org", true, Optional.empty()));
    }

    @Test
    void aDeliveryIsCountedOncePerQueueIdAndTheFirstSenderIsKept() throws Exception {
        store.create(cap("counted1", ""));
        Instant first = NOW.plusSeconds(10);
        Instant later = NOW.plusSeconds(3600);
        assertEquals(Optional.of(new Sighting(Optional.empty(), true)),
                store.recordDelivery("counted1", "temp.example.org", Optional.of("QID0"), "", NOW));
        assertEquals(Optional.of(new Sighting(Optional.of("news@shop.example"), true)),
                store.recordDelivery("counted1", "temp.example.org", Optional.of("QID1"), "news@shop.example",
                        first));
        assertEquals(Optional.of(new Sighting(Optional.of("news@shop.example"), false)),
                store.recordDelivery("COUNTED1", "temp.example.org", Optional.of("QID1"), "news@shop.example",
                        later));
        assertEquals(Optional.of(new Sighting(Optional.of("news@shop.example"), true)),
                store.recordDelivery("counted1", "temp.example.org", Optional.of("QID2"), "spam@elsewhere.example",
                        later));
        Capability seen = store.find("counted1", "temp.example.org").orElseThrow();
        assertEquals(3, seen.messageCount());
        assertEquals(Optional.of("news@shop.example"), seen.firstSender());
        assertEquals(Optional.of(NOW), seen.firstSeen());
        assertEquals(Optional.of(later), seen.lastSeen());
        assertEquals(Optional.empty(),
                store.recordDelivery("unknown1", "temp.example.org", Optional.of("QID3"), "x@y.example", later));
    }

    @Test
    void listsNewestFirstAndSearchesNotesWithoutCase() throws Exception {
        store.create(new NewCapability("oldest1", "temp.example.org", true, Optional.empty(), "Bäckerei", NOW,
                Optional.empty()));
        store.create(new NewCapability("middle1", "temp.example.org", false, Optional.empty(), "bank", 
                NOW.plusSeconds(1), Optional.empty()));
        store.create(new NewCapability("newest1", "temp.example.org", true, Optional.empty(), "BÄCKEREI two",
                NOW.plusSeconds(2), Optional.of(NOW.plusSeconds(5))));
        assertEquals(List.of("newest1", "middle1", "oldest1"),
                store.list(true, NOW).stream().map(Capability::localPart).toList());
        assertEquals(List.of("newest1", "oldest1"),
                store.list(false, NOW).stream().map(Capability::localPart).toList());
        assertEquals(List.of("oldest1"), store.list(false, NOW.plusSeconds(5)).stream()
                .map(Capability::localPart).toList());
        assertEquals(List.of("newest1", "oldest1"),
                store.search("bäck").stream().map(Capability::localPart).toList());
        assertEquals(List.of(), store.search("nothing like it"));
    }

    @Test
    void anUnreachableStoreIsABackendFailureNeverUnknown() throws Exception {
        CapabilityResolver resolver =
                new CapabilityResolver(DATED, new AddressForm("+"),
                        "temp.example.org", open(unreachableDatabase()), MAILDROP);
        BackendException failure = assertThrows(BackendException.class,
                () -> resolver.resolve("anything@temp.example.org", NOW));
        assertTrue(failure.getMessage().startsWith("capability addresses: "), failure.getMessage());
        assertEquals(new Resolution.Valid(MAILDROP, NOW.plusSeconds(60)),
                resolver.resolve("dated@temp.example.org", NOW), "the dated scheme needs no database");
        assertEquals(new Resolution.Valid(MAILDROP, NOW.plusSeconds(60), Optional.empty(), Optional.of("shop")),
                resolver.resolve("DATED+shop@temp.example.org", NOW), "nor with an extension");
        assertEquals(Resolution.UNKNOWN, resolver.resolve("someone@Other.Example", NOW),
                "mail for other domains neither asks nor waits for the store");
    }

    @Test
    void onlyAddressesInTheTemporaryDomainAreLookedUp() throws Exception {
        store.create(new NewCapability("elsewhere1", "other.example", true, Optional.empty(), "", NOW,
                Optional.empty()));
        CapabilityResolver resolver = new CapabilityResolver(DATED, new AddressForm("+"),
                "temp.example.org", open(settings), MAILDROP);
        assertEquals(Resolution.UNKNOWN, resolver.resolve("elsewhere1@other.example", NOW));
    }

    @Test
    void theSchemaIsVersionedAndANewerOneIsRefused() throws Exception {
        store.create(cap("first1", ""));
        String url = settings.isPostgresql() ? settings.location() : "jdbc:sqlite:" + settings.location();
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            try (ResultSet version = statement.executeQuery("SELECT MAX(version) FROM tempmail_schema")) {
                assertTrue(version.next());
                assertEquals(Migrations.latestVersion(), version.getInt(1));
            }
            statement.execute("INSERT INTO tempmail_schema (version, description, applied) VALUES (99, 'x', 0)");
        }
        StoreException refused = assertThrows(StoreException.class,
                () -> open(settings).find("x", "temp.example.org"));
        assertTrue(refused.getMessage().contains("schema version 99 is newer"), refused.getMessage());
    }

    @Test
    void writersInOtherConnectionsDoNotDisturbLookups() throws Exception {
        store.create(cap("steady1", "there from the start"));
        CapabilityResolver server = new CapabilityResolver(DATED, new AddressForm("+"),
                "temp.example.org", open(settings), MAILDROP);
        int writers = 3;
        int perWriter = 15;
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong lookups = new AtomicLong();
        CountDownLatch writersDone = new CountDownLatch(writers);
        Thread reader = new Thread(() -> {
            while (writing.get()) {
                try {
                    if (!(server.resolve("steady1@temp.example.org", NOW) instanceof Resolution.Valid)) {
                        failures.add(new AssertionError("steady1 not valid during writes"));
                    }
                    lookups.incrementAndGet();
                } catch (BackendException | RuntimeException e) {
                    failures.add(e);
                }
            }
        });
        reader.start();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            new Thread(() -> {
                try (CapabilityStore commandLine = CapabilityStore.open(settings)) {
                    for (int i = 0; i < perWriter; i++) {
                        String localPart = "w" + writer + "n" + i;
                        commandLine.create(cap(localPart, "writer " + writer));
                        commandLine.recordDelivery("steady1", "temp.example.org", Optional.of(localPart),
                                "a@b.example", NOW);
                    }
                } catch (StoreException | RuntimeException e) {
                    failures.add(e);
                } finally {
                    writersDone.countDown();
                }
            }).start();
        }
        writersDone.await();
        writing.set(false);
        reader.join();
        assertEquals(List.of(), List.copyOf(failures));
        assertTrue(lookups.get() > 0);
        assertEquals(1 + writers * perWriter, store.list(true, NOW).size());
        assertEquals(writers * perWriter, store.find("steady1", "temp.example.org").orElseThrow().messageCount());
        for (int w = 0; w < writers; w++) {
            assertInstanceOf(Resolution.Valid.class, server.resolve("w" + w + "n" + (perWriter - 1)
                    + "@temp.example.org", NOW));
        }
        assertFalse(failures.iterator().hasNext());
    }
}
