package org.tempmail.owners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tempmail.address.DatedScheme;
import org.tempmail.address.DigestSchemes;
import org.tempmail.config.SchemeName;
import org.tempmail.config.Secret;

class OwnerIndexTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 11, 22);

    private static DatedScheme scheme(String secret) {
        return DigestSchemes.create(SchemeName.HMAC_SHA256, new Secret(secret), 16);
    }

    private static Holder holder(String name, String secret, String domain) {
        return new Holder(Optional.of(name), domain, name + "@example.org", 2,
                List.of(new Holder.Generation(scheme(secret), LocalDate.MAX)));
    }

    private static String address(String secret, LocalDate day, String domain) {
        return scheme(secret).localPart(day) + "@" + domain;
    }

    @Test
    void findsEachHoldersLocalPartsFromTheOldestValidDayToTomorrowAndNothingElse() {
        Holder alice = holder("alice", "alice-secret", "temp.example.org");
        Holder bob = holder("bob", "bob-secret", "temp.example.org");
        OwnerIndex index = OwnerIndex.build(List.of(alice, bob), TODAY);
        for (LocalDate day : List.of(TODAY.minusDays(1), TODAY, TODAY.plusDays(1))) {
            assertEquals(new OwnerIndex.Hit(alice, day), index.find(address("alice-secret", day, "temp.example.org")));
            assertEquals(new OwnerIndex.Hit(bob, day), index.find(address("bob-secret", day, "temp.example.org")));
        }
        assertInstanceOf(OwnerIndex.Miss.class, index.find(address("alice-secret", TODAY.minusDays(2),
                "temp.example.org")), "past every window");
        assertInstanceOf(OwnerIndex.Miss.class, index.find(address("alice-secret", TODAY, "other.example")),
                "another domain");
        assertInstanceOf(OwnerIndex.Miss.class, index.find("0123456789abcdef@temp.example.org"));
        assertEquals(6, index.entries());
        assertTrue(index.collisions().isEmpty());
        assertTrue(index.covers(TODAY) && index.covers(TODAY.plusDays(1)) && !index.covers(TODAY.plusDays(2)));
    }

    @Test
    void aLocalPartTwoHoldersShareInOneDomainIsNeithersAndIsReportedWithoutTheLocalPart() {
        Holder alice = holder("alice", "same-secret", "temp.example.org");
        Holder bob = holder("bob", "same-secret", "temp.example.org");
        Holder carol = holder("carol", "same-secret", "carol.example");
        OwnerIndex index = OwnerIndex.build(List.of(alice, bob, carol), TODAY);
        String shared = address("same-secret", TODAY, "temp.example.org");
        assertInstanceOf(OwnerIndex.Collision.class, index.find(shared));
        assertEquals(new OwnerIndex.Hit(carol, TODAY), index.find(address("same-secret", TODAY, "carol.example")),
                "the same local part in another domain is no collision");
        assertEquals(3, index.collisions().size(), String.join("\n", index.collisions()));
        String line = index.collisions().get(0);
        assertTrue(line.contains("temp.example.org") && line.contains("owner alice and owner bob"), line);
        assertTrue(!line.contains(shared.substring(0, 16)), "the log names no address: " + line);
    }

    @Test
    void aRebuildWithTheSameCacheReusesUnchangedHoldersAndSeesTheChangedOnesAndTheNewDay() {
        HashCache cache = new HashCache();
        Holder alice = holder("alice", "alice-secret", "temp.example.org");
        Holder bob = holder("bob", "bob-secret", "temp.example.org");
        OwnerIndex.build(List.of(alice, bob), TODAY, cache);
        Holder rotatedBob = holder("bob", "bob-new-secret", "temp.example.org");
        OwnerIndex rebuilt = OwnerIndex.build(List.of(alice, rotatedBob), TODAY, cache);
        assertEquals(new OwnerIndex.Hit(alice, TODAY),
                rebuilt.find(address("alice-secret", TODAY, "temp.example.org")));
        assertEquals(new OwnerIndex.Hit(rotatedBob, TODAY),
                rebuilt.find(address("bob-new-secret", TODAY, "temp.example.org")));
        assertInstanceOf(OwnerIndex.Miss.class, rebuilt.find(address("bob-secret", TODAY, "temp.example.org")));
        OwnerIndex nextDay = OwnerIndex.build(List.of(alice, rotatedBob), TODAY.plusDays(1), cache);
        assertEquals(new OwnerIndex.Hit(alice, TODAY.plusDays(2)),
                nextDay.find(address("alice-secret", TODAY.plusDays(2), "temp.example.org")));
        assertInstanceOf(OwnerIndex.Miss.class, nextDay.find(address("alice-secret", TODAY.minusDays(1),
                "temp.example.org")));
    }

    @Test
    void aRotatedOutSecretMakesAddressesForTheDaysUpToItsLastOnly() {
        Holder rotated = new Holder(Optional.of("alice"), "temp.example.org", "alice@example.org", 2, List.of(
                new Holder.Generation(scheme("new"), LocalDate.MAX),
                new Holder.Generation(scheme("old"), TODAY.minusDays(1))));
        OwnerIndex index = OwnerIndex.build(List.of(rotated), TODAY);
        assertEquals(new OwnerIndex.Hit(rotated, TODAY.minusDays(1)),
                index.find(address("old", TODAY.minusDays(1), "temp.example.org")));
        assertInstanceOf(OwnerIndex.Miss.class, index.find(address("old", TODAY, "temp.example.org")));
        assertEquals(new OwnerIndex.Hit(rotated, TODAY), index.find(address("new", TODAY, "temp.example.org")));
    }
}
