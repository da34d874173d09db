package org.tempmail.resolver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tempmail.address.BackendException;
import org.tempmail.address.DatedAddressResolver;
import org.tempmail.address.Resolution;
import org.tempmail.config.AddressSettings;
import org.tempmail.config.Config;
import org.tempmail.config.ConfigLoader;
import org.tempmail.config.DatabaseSettings;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;
import org.tempmail.owners.OwnerAddresses;
import org.tempmail.storage.CapabilityStore;
import org.tempmail.storage.NewCapability;
import org.tempmail.storage.NewOwner;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;

/** The assembled resolver with owners in a real SQLite store, as check, deliver and the server use it. */
class OwnersResolverTest {
    private static final Instant NOW = Instant.parse("2026-11-22T11:00:00Z");
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    @TempDir
    Path dir;
    private Config config;
    private CapabilityStore admin;
    private OwnerStore owners;
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void setUp() throws Exception {
        Path file = dir.resolve("tempmail.cf");
        Files.writeString(file, """
                SHARED_SECRET=s3cret-s3cret-s3cret
                SCHEME=md5
                LENGTH=16
                DOMAIN=temp.example.org
                MAILDROP=me@example.org
                TIMEZONE=UTC
                DATABASE=tempmail.db
                """);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        config = ConfigLoader.load(file);
        admin = CapabilityStore.open(config.database());
        admin.initialise();
        owners = admin.owners();
    }

    @AfterEach
    void close() {
        admin.close();
    }

    private Owner add(String name, Optional<String> domain) throws Exception {
        return owners.add(new NewOwner(name, name + "@example.org", domain, OptionalInt.empty(), NOW));
    }

    private String today(Owner owner) {
        return OwnerAddresses.addressOf(owner, config.addresses(), TODAY);
    }

    @Test
    void eachOwnersAddressLeadsToItsMaildropAndTheDefaultOwnerKeepsItsMd5Addresses() throws Exception {
        Owner alice = add("alice", Optional.empty());
        Owner bob = add("bob", Optional.empty());
        Owner carol = add("carol", Optional.of("carol.example"));
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            for (Owner owner : List.of(alice, bob, carol)) {
                Resolution.Valid valid = assertInstanceOf(Resolution.Valid.class,
                        resolver.resolve(today(owner).toUpperCase(), NOW));
                assertEquals(owner.maildrop(), valid.target());
                assertEquals(Optional.of(owner.name()), valid.owner());
                assertEquals(Instant.parse("2026-11-24T00:00:00Z"), valid.validUntil());
            }
            assertTrue(today(carol).endsWith("@carol.example"));
            String yesterday = OwnerAddresses.addressOf(alice, config.addresses(), TODAY.minusDays(1));
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(yesterday, NOW));
            String tooOld = OwnerAddresses.addressOf(alice, config.addresses(), TODAY.minusDays(2));
            assertEquals(Resolution.UNKNOWN, resolver.resolve(tooOld, NOW));
            Resolution.Valid extended = assertInstanceOf(Resolution.Valid.class,
                    resolver.resolve(today(bob).replace("@", "+shop@"), NOW));
            assertEquals(Optional.of("shop"), extended.extension());
            assertEquals(Optional.of("bob"), extended.owner());
            String md5 = DatedAddressResolver.from(config.addresses()).addressOf(TODAY);
            Resolution.Valid mine = assertInstanceOf(Resolution.Valid.class, resolver.resolve(md5, NOW));
            assertEquals("me@example.org", mine.target());
            assertEquals(Optional.empty(), mine.owner());
            assertEquals(Resolution.UNKNOWN, resolver.resolve("0123456789abcdef@carol.example", NOW));
        }
    }

    @Test
    void aCommandThatRunsOnceAnswersTheDefaultOwnerAndMaildropWithoutTheStoreAndDefersTheRest() throws Exception {
        admin.close();
        Files.move(dir.resolve("tempmail.db"), dir.resolve("elsewhere.db"));
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            String md5 = DatedAddressResolver.from(config.addresses()).addressOf(TODAY);
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(md5, NOW));
            assertEquals(Resolution.UNKNOWN, resolver.resolve("me@example.org", NOW),
                    "deliver's loop check on MAILDROP does not wait for the store");
            assertThrows(BackendException.class, () -> resolver.resolve("0123456789abcdef@temp.example.org", NOW));
            assertThrows(BackendException.class, () -> resolver.resolve("0123456789abcdef@carol.example", NOW),
                    "with no owners read, any domain may be an owner's");
        }
    }

    /** The same database and DOMAIN, in a tempmail.cf without SHARED_SECRET and MAILDROP. */
    private Config withoutOwnerOfItsOwn() throws Exception {
        Path file = dir.resolve("owners-only.cf");
        Files.writeString(file, """
                SCHEME=md5
                LENGTH=16
                DOMAIN=temp.example.org
                TIMEZONE=UTC
                DATABASE=tempmail.db
                """);
        return ConfigLoader.load(file);
    }

    @Test
    void withoutAnOwnerOfTempmailCfDomainsAddressesAreTheOwnersOnly() throws Exception {
        Owner alice = add("alice", Optional.empty());
        Owner carol = add("carol", Optional.of("carol.example"));
        admin.create(new NewCapability("targeted1", "temp.example.org", true, Optional.of("x@example.net"), "t",
                NOW, Optional.empty(), Optional.empty()));
        admin.create(new NewCapability("untargeted1", "temp.example.org", true, Optional.empty(), "u", NOW,
                Optional.empty(), Optional.empty()));
        String wouldBeDefault = DatedAddressResolver.from(config.addresses()).addressOf(TODAY);
        Config ownersOnly = withoutOwnerOfItsOwn();
        CapabilityStore served = CapabilityStore.open(ownersOnly.database());
        try (AssembledResolver once = ResolverAssembly.create(ownersOnly);
                AssembledResolver server = ResolverAssembly.serving(ownersOnly, served, Clock.fixed(NOW,
                        ZoneOffset.UTC), log::add)) {
            for (AssembledResolver resolver : List.of(once, server)) {
                for (Owner owner : List.of(alice, carol)) {
                    assertEquals(owner.maildrop(), assertInstanceOf(Resolution.Valid.class,
                            resolver.resolve(today(owner), NOW)).target());
                }
                assertEquals(Resolution.UNKNOWN, resolver.resolve(wouldBeDefault, NOW),
                        "the md5 address of the secret tempmail.cf no longer has is nobody's");
                assertEquals(Resolution.UNKNOWN, resolver.resolve("me@example.org", NOW));
                assertEquals("x@example.net", assertInstanceOf(Resolution.Valid.class,
                        resolver.resolve("targeted1@temp.example.org", NOW)).target());
                BackendException waits = assertThrows(BackendException.class,
                        () -> resolver.resolve("untargeted1@temp.example.org", NOW),
                        "an address made for MAILDROP waits for it rather than bounce");
                assertTrue(waits.getMessage().contains("MAILDROP, which tempmail.cf does not set"),
                        waits.getMessage());
            }
        }
        admin.close();
        Files.move(dir.resolve("tempmail.db"), dir.resolve("elsewhere.db"));
        try (AssembledResolver resolver = ResolverAssembly.create(ownersOnly)) {
            assertThrows(BackendException.class, () -> resolver.resolve(wouldBeDefault, NOW),
                    "with the store gone, an address of DOMAIN may be an owner's: try later");
        }
    }

    @Test
    void anOwnersAddressIsTheSingleOwnerHmacAddressOfItsSecret() throws Exception {
        Owner alice = add("alice", Optional.empty());
        AddressSettings asSingleOwner = new AddressSettings(SchemeName.HMAC_SHA256, new Secret(alice.secret()), 16,
                "temp.example.org", "alice@example.org", 2, ZoneOffset.UTC, "+");
        assertEquals(DatedAddressResolver.from(asSingleOwner).addressOf(TODAY), today(alice));
    }

    @Test
    void disabledAndRemovedOwnersAddressesAndCapabilityAddressesAreUnknown() throws Exception {
        Owner alice = add("alice", Optional.empty());
        Owner bob = add("bob", Optional.empty());
        admin.create(new NewCapability("alicecap1", "temp.example.org", true, Optional.empty(), "shop", NOW,
                Optional.empty(), Optional.of("alice")));
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            Resolution.Valid cap = assertInstanceOf(Resolution.Valid.class,
                    resolver.resolve("alicecap1@temp.example.org", NOW));
            assertEquals("alice@example.org", cap.target(), "a capability address goes to its owner's maildrop");
            assertEquals(Optional.of("alice"), cap.owner());
        }
        owners.setEnabled("alice", false);
        owners.remove("bob", NOW);
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            assertEquals(Resolution.UNKNOWN, resolver.resolve(today(alice), NOW));
            assertEquals(Resolution.UNKNOWN, resolver.resolve("alicecap1@temp.example.org", NOW));
            assertEquals(Resolution.UNKNOWN, resolver.resolve(today(bob), NOW));
        }
    }

    @Test
    void afterRotationYesterdaysAddressStaysValidUntilItsWindowEnds() throws Exception {
        Owner before = add("alice", Optional.empty());
        Owner after = owners.rotateSecret("alice", TODAY);
        String yesterday = OwnerAddresses.addressOf(before, config.addresses(), TODAY.minusDays(1));
        try (AssembledResolver resolver = ResolverAssembly.create(config)) {
            assertEquals(Instant.parse("2026-11-23T00:00:00Z"), assertInstanceOf(Resolution.Valid.class,
                    resolver.resolve(yesterday, NOW)).validUntil());
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(today(before), NOW));
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(today(after), NOW));
            assertEquals(Resolution.UNKNOWN, resolver.resolve(
                    OwnerAddresses.addressOf(before, config.addresses(), TODAY.plusDays(1)), NOW.plusSeconds(86400)),
                    "the old secret makes no address for a day after the rotation");
        }
    }

    @Test
    void theServerFollowsChangesWithinSecondsAndAnswersTempWhileTheStoreIsUnreadable() throws Exception {
        Owner alice = add("alice", Optional.empty());
        CapabilityStore served = CapabilityStore.open(config.database());
        try (AssembledResolver resolver = ResolverAssembly.serving(config, served, Clock.systemUTC(), log::add)) {
            Instant now = Instant.now();
            String address = OwnerAddresses.addressOf(alice, config.addresses(), LocalDate.ofInstant(now,
                    ZoneOffset.UTC));
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, now));
            owners.setEnabled("alice", false);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (resolver.resolve(address, Instant.now()) instanceof Resolution.Valid) {
                assertTrue(System.nanoTime() < deadline, "the disabled owner's address is still valid after 5 s");
                Thread.sleep(50);
            }
            owners.setEnabled("alice", true);
            while (!(resolver.resolve(address, Instant.now()) instanceof Resolution.Valid)) {
                assertTrue(System.nanoTime() < deadline + 5_000_000_000L, "enabled again, still unknown after 5 s");
                Thread.sleep(50);
            }
            assertTrue(log.stream().anyMatch(line -> line.contains("enabled owners updated for")),
                    "a change of one owner updates the index, not builds it again: " + String.join("\n", log));
            Files.move(dir.resolve("tempmail.db"), dir.resolve("elsewhere.db"));
            Thread.sleep(2 * OwnersResolverTest.pollMillis());
            assertThrows(BackendException.class,
                    () -> resolver.resolve("0123456789abcdef@temp.example.org", Instant.now()));
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(address, Instant.now()),
                    "the last index still knows the owners");
            assertEquals(Resolution.UNKNOWN, resolver.resolve("someone@example.net", Instant.now()),
                    "other domains do not wait for the store");
            assertTrue(log.stream().anyMatch(line -> line.startsWith("warning: owners: cannot read them")),
                    String.join("\n", log));
        }
    }

    @Test
    void aServerWhoseChangesWerePrunedMeanwhileReadsEveryOwnerAgainAndMissesNoRemoval() throws Exception {
        Owner alice = add("alice", Optional.empty());
        Owner bob = add("bob", Optional.empty());
        add("carol", Optional.empty());
        CapabilityStore served = CapabilityStore.open(config.database());
        try (AssembledResolver resolver = ResolverAssembly.serving(config, served, Clock.fixed(NOW, ZoneOffset.UTC),
                log::add)) {
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(today(bob), NOW));
            // The server cannot read the store while bob goes and, a week later, carol, whose removal prunes
            // bob's: the changes since its version no longer name bob.
            admin.close();
            moveDatabase("tempmail.db", "elsewhere.db");
            Thread.sleep(2 * pollMillis());
            try (CapabilityStore moved = CapabilityStore.open(new DatabaseSettings(
                    dir.resolve("elsewhere.db").toString(), true))) {
                moved.owners().remove("bob", NOW);
                moved.owners().remove("carol", NOW.plus(OwnerStore.REMOVALS_KEPT).plusSeconds(1));
            }
            moveDatabase("elsewhere.db", "tempmail.db");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (resolver.resolve(today(bob), NOW) instanceof Resolution.Valid) {
                assertTrue(System.nanoTime() < deadline, "bob's address is still valid 5 s after the store is back");
                Thread.sleep(50);
            }
            assertInstanceOf(Resolution.Valid.class, resolver.resolve(today(alice), NOW));
            assertTrue(log.stream().anyMatch(line -> line.contains("were pruned; read every owner again")),
                    String.join("\n", log));
        }
    }

    /** The SQLite file with its write-ahead log, if any. */
    private void moveDatabase(String from, String to) throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            if (Files.exists(dir.resolve(from + suffix))) {
                Files.move(dir.resolve(from + suffix), dir.resolve(to + suffix));
            }
        }
    }

    private static long pollMillis() {
        return org.tempmail.owners.OwnerDirectory.POLL.toMillis();
    }
}
