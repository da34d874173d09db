package org.tempmail.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tempmail.config.DatabaseSettings;

/** What the owners' store must do on every database tempmail supports. */
abstract class OwnerStoreContract {
    static final Instant NOW = Instant.parse("2026-11-22T11:00:00Z");

    private final List<CapabilityStore> opened = new ArrayList<>();
    CapabilityStore store;
    OwnerStore owners;

    abstract DatabaseSettings newDatabase() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = CapabilityStore.open(newDatabase());
        opened.add(store);
        store.initialise();
        owners = store.owners();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(CapabilityStore::close);
    }

    static NewOwner owner(String name) {
        return new NewOwner(name, name + "@example.org", Optional.empty(), OptionalInt.empty(), NOW);
    }

    @Test
    void anOwnerGetsAFreshSecretOfThirtyTwoRandomBytesAndKeepsItsSettings() throws Exception {
        Owner alice = owners.add(new NewOwner("alice", "alice@example.org", Optional.of("Other.Example"),
                OptionalInt.of(3), NOW));
        Owner bob = owners.add(owner("bob"));
        assertEquals(32, Base64.getUrlDecoder().decode(alice.secret()).length);
        assertNotEquals(alice.secret(), bob.secret());
        assertEquals("other.example", alice.domainOr("temp.example.org"));
        assertEquals(3, alice.validDaysOr(2));
        assertEquals("temp.example.org", bob.domainOr("temp.example.org"), "no domain stored: DOMAIN");
        assertEquals(2, bob.validDaysOr(2));
        assertTrue(bob.enabled());
        assertEquals(NOW, bob.created());
        assertEquals(List.of("alice", "bob"), owners.list().stream().map(Owner::name).toList());
        assertEquals(alice, owners.get("alice"));
        assertFalse(alice.toString().contains(alice.secret()), "toString shows no secret");
    }

    @Test
    void aNameIsTakenOnceAndAnImportIsAllOrNothing() throws Exception {
        owners.add(owner("alice"));
        assertThrows(DuplicateOwnerException.class, () -> owners.add(owner("alice")));
        assertThrows(DuplicateOwnerException.class, () -> owners.addAll(List.of(owner("carol"), owner("alice"))));
        assertEquals(Optional.empty(), owners.find("carol"), "the import stored none of its owners");
        assertThrows(IllegalArgumentException.class, () -> owner("Alice"));
        assertThrows(IllegalArgumentException.class, () -> owner("-x"));
    }

    @Test
    void everyChangeCountsUpTheVersion() throws Exception {
        long start = owners.version();
        owners.add(owner("alice"));
        long added = owners.version();
        owners.setEnabled("alice", false);
        long disabled = owners.version();
        owners.rotateSecret("alice", LocalDate.of(2026, 11, 22));
        long rotated = owners.version();
        owners.remove("alice", NOW);
        long removed = owners.version();
        assertTrue(start < added && added < disabled && disabled < rotated && rotated < removed);
        assertEquals(removed, owners.version(), "reading changes nothing");
        assertThrows(NoSuchOwnerException.class, () -> owners.setEnabled("nobody", true));
        assertEquals(removed, owners.version(), "a refused change counts nothing");
    }

    @Test
    void changesSinceAVersionAreTheOwnersChangedAndTheIdsRemovedAfterIt() throws Exception {
        Owner alice = owners.add(owner("alice"));
        owners.add(owner("bob"));
        long before = owners.version();
        owners.setEnabled("bob", false);
        Owner carol = owners.add(owner("carol"));
        owners.remove("alice", NOW);
        OwnerStore.Changes changes = owners.changesSince(before);
        assertEquals(owners.version(), changes.version());
        assertEquals(List.of("bob", "carol"), changes.changed().stream().map(Owner::name).sorted().toList());
        assertEquals(List.of(alice.id()), changes.removed());
        assertEquals(carol, owners.changesSince(before + 1).changed().stream()
                .filter(o -> o.name().equals("carol")).findFirst().orElseThrow());
        OwnerStore.Changes none = owners.changesSince(owners.version());
        assertTrue(none.changed().isEmpty() && none.removed().isEmpty());
    }

    @Test
    void removalsOlderThanTheHorizonArePrunedAndAServerFurtherBehindReadsEveryOwnerAgain() throws Exception {
        owners.add(owner("alice"));
        Owner bob = owners.add(owner("bob"));
        Owner carol = owners.add(owner("carol"));
        owners.add(owner("dave"));
        long beforeAlice = owners.version();
        owners.remove("alice", NOW);
        long beforeBob = owners.version();
        owners.remove("bob", NOW.plus(Duration.ofDays(1)));
        long beforeCarol = owners.version();
        owners.setEnabled("dave", false);
        Instant horizon = NOW.plus(Duration.ofDays(1)).plus(OwnerStore.REMOVALS_KEPT);
        owners.remove("carol", horizon);
        OwnerStore.Changes sinceBob = owners.changesSince(beforeBob);
        assertFalse(sinceBob.everyOwner());
        assertEquals(List.of(bob.id(), carol.id()), sinceBob.removed().stream().sorted().toList(),
                "bob's removal, exactly at the horizon, is kept");
        assertEquals(List.of("dave"), sinceBob.changed().stream().map(Owner::name).toList());
        OwnerStore.Changes sinceAlice = owners.changesSince(beforeAlice);
        assertTrue(sinceAlice.everyOwner(), "alice's removal was pruned: the changes since cannot be known");
        assertEquals(List.of(), sinceAlice.removed());
        assertEquals(List.of("dave"), sinceAlice.changed().stream().map(Owner::name).toList(),
                "every owner there is, so that alice is forgotten");
        assertFalse(owners.changesSince(beforeCarol).everyOwner());
        owners.remove("dave", horizon.plus(OwnerStore.REMOVALS_KEPT).plusMillis(1));
        OwnerStore.Changes afterAll = owners.changesSince(beforeCarol);
        assertTrue(afterAll.everyOwner());
        assertEquals(List.of(), afterAll.changed());
        assertFalse(owners.changesSince(owners.version()).everyOwner(), "a current server reads no more");
    }

    @Test
    void rotationKeepsTheOldSecretUntilItsLastDay() throws Exception {
        Owner before = owners.add(owner("alice"));
        Owner after = owners.rotateSecret("alice", LocalDate.of(2026, 11, 22));
        assertNotEquals(before.secret(), after.secret());
        assertEquals(Optional.of(before.secret()), after.previousSecret());
        assertEquals(Optional.of(LocalDate.of(2026, 11, 22)), after.previousLastDay());
    }

    @Test
    void disablingAndEnablingShowInTheOwnersCapabilityAddresses() throws Exception {
        owners.add(owner("alice"));
        store.create(new NewCapability("shop1", "temp.example.org", true, Optional.empty(), "shop", NOW,
                Optional.empty(), Optional.of("alice")));
        Capability found = store.find("shop1", "temp.example.org").orElseThrow();
        assertEquals(Optional.of(new Capability.Holder("alice", "alice@example.org", true)), found.owner());
        owners.setEnabled("alice", false);
        assertFalse(store.find("shop1", "temp.example.org").orElseThrow().owner().orElseThrow().enabled());
        assertFalse(owners.get("alice").enabled());
        owners.setEnabled("alice", true);
        assertTrue(owners.get("alice").enabled());
        assertThrows(NoSuchOwnerException.class, () -> store.create(new NewCapability("shop2", "temp.example.org",
                true, Optional.empty(), "", NOW, Optional.empty(), Optional.of("nobody"))));
    }

    @Test
    void removingAnOwnerRemovesItsCapabilityAddressesOnly() throws Exception {
        owners.add(owner("alice"));
        owners.add(owner("bob"));
        store.create(new NewCapability("alice1", "temp.example.org", true, Optional.empty(), "", NOW,
                Optional.empty(), Optional.of("alice")));
        store.create(new NewCapability("bob1", "temp.example.org", true, Optional.empty(), "", NOW,
                Optional.empty(), Optional.of("bob")));
        store.create(new NewCapability("nobody1", "temp.example.org", true, Optional.empty(), "", NOW,
                Optional.empty()));
        store.recordDelivery("alice1", "temp.example.org", Optional.of("4ABC"), "s@example.net", NOW);
        assertEquals(List.of("alice1@temp.example.org"), store.list(true, NOW, Optional.of("alice")).stream()
                .map(Capability::address).toList());
        assertEquals(1, owners.remove("alice", NOW));
        assertEquals(Optional.empty(), owners.find("alice"));
        assertEquals(Optional.empty(), store.find("alice1", "temp.example.org"));
        assertTrue(store.find("bob1", "temp.example.org").isPresent());
        assertTrue(store.find("nobody1", "temp.example.org").isPresent());
        assertThrows(NoSuchOwnerException.class, () -> owners.remove("alice", NOW));
    }
}
