package org.tempmail.owners;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    void anUpdateWithTheSameWriterReusesUnchangedHoldersAndSeesTheChangedOnesAndTheNewDay() {
        IndexWriter writer = new IndexWriter(true);
        Holder alice = holder("alice", "alice-secret", "temp.example.org");
        Holder bob = holder("bob", "bob-secret", "temp.example.org");
        writer.rebuild(List.of(alice, bob), TODAY);
        Holder rotatedBob = holder("bob", "bob-new-secret", "temp.example.org");
        IndexWriter.Written written = writer.update(List.of(bob), List.of(rotatedBob), TODAY);
        assertTrue(written.delta(), "only bob was written");
        OwnerIndex rebuilt = written.index();
        assertEquals(new OwnerIndex.Hit(alice, TODAY),
                rebuilt.find(address("alice-secret", TODAY, "temp.example.org")));
        assertEquals(new OwnerIndex.Hit(rotatedBob, TODAY),
                rebuilt.find(address("bob-new-secret", TODAY, "temp.example.org")));
        assertInstanceOf(OwnerIndex.Miss.class, rebuilt.find(address("bob-secret", TODAY, "temp.example.org")));
        assertEquals(6, rebuilt.entries());
        OwnerIndex nextDay = writer.rebuild(List.of(alice, rotatedBob), TODAY.plusDays(1)).index();
        assertEquals(new OwnerIndex.Hit(alice, TODAY.plusDays(2)),
                nextDay.find(address("alice-secret", TODAY.plusDays(2), "temp.example.org")));
        assertEquals(new OwnerIndex.Hit(alice, TODAY),
                nextDay.find(address("alice-secret", TODAY, "temp.example.org")));
        assertInstanceOf(OwnerIndex.Miss.class, nextDay.find(address("alice-secret", TODAY.minusDays(1),
                "temp.example.org")));
    }

    @Test
    void theNewDaysLocalPartsDigestedAheadLeaveItsBuildNoneToDigestAndTheSameAnswers() {
        AtomicInteger digests = new AtomicInteger();
        List<Holder> holders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DatedScheme plain = scheme("secret-" + i);
            DatedScheme counted = day -> {
                digests.incrementAndGet();
                return plain.localPart(day);
            };
            holders.add(new Holder(Optional.of("h" + i), "temp.example.org", "h" + i + "@example.org", 2,
                    List.of(new Holder.Generation(counted, LocalDate.MAX))));
        }
        IndexWriter writer = new IndexWriter(true);
        writer.rebuild(holders, TODAY);
        assertEquals(15, digests.get(), "three days of five holders");
        assertFalse(writer.prepare(TODAY.plusDays(2), 5), "only the next day is prepared");
        int passes = 0;
        while (!writer.prepare(TODAY.plusDays(1), 2)) {
            passes++;
        }
        assertEquals(3, passes, "two holders at a time, then a pass that finds every one prepared");
        assertEquals(20, digests.get(), "one day ahead for each holder");
        OwnerIndex nextDay = writer.rebuild(holders, TODAY.plusDays(1)).index();
        assertEquals(20, digests.get(), "the new day's build digests nothing");
        OwnerIndex fresh = OwnerIndex.build(holders, TODAY.plusDays(1));
        for (int i = 0; i < 5; i++) {
            for (int day = -2; day <= 3; day++) {
                String address = address("secret-" + i, TODAY.plusDays(day), "temp.example.org");
                assertEquals(fresh.find(address), nextDay.find(address), address);
            }
        }
        assertEquals(new OwnerIndex.Hit(holders.get(0), TODAY.plusDays(2)),
                nextDay.find(address("secret-0", TODAY.plusDays(2), "temp.example.org")));
    }

    @Test
    void removingOneOfTwoHoldersOfACollisionRebuildsAndGivesTheOtherItsLocalPartBack() {
        IndexWriter writer = new IndexWriter(true);
        Holder alice = holder("alice", "same-secret", "temp.example.org");
        Holder bob = holder("bob", "same-secret", "temp.example.org");
        Holder carol = holder("carol", "carol-secret", "temp.example.org");
        writer.rebuild(List.of(alice, carol), TODAY);
        IndexWriter.Written collided = writer.update(List.of(), List.of(bob), TODAY);
        assertTrue(collided.delta());
        assertEquals(3, collided.newCollisions().size(), String.join("\n", collided.newCollisions()));
        String shared = address("same-secret", TODAY, "temp.example.org");
        assertInstanceOf(OwnerIndex.Collision.class, collided.index().find(shared));
        IndexWriter.Written resolved = writer.update(List.of(bob), List.of(), TODAY);
        assertFalse(resolved.delta(), "a removal that meets a collision builds the index again");
        assertEquals(new OwnerIndex.Hit(alice, TODAY), resolved.index().find(shared));
        assertTrue(resolved.index().collisions().isEmpty());
        assertEquals(6, resolved.index().entries());
    }

    @Test
    void anIndexReplacedSinceStillAnswersRightThoughItsBufferWasReused() {
        IndexWriter writer = new IndexWriter(true);
        Holder alice = holder("alice", "alice-secret", "temp.example.org");
        Holder bob = holder("bob", "bob-secret", "temp.example.org");
        OwnerIndex first = writer.rebuild(List.of(alice, bob), TODAY).index();
        writer.update(List.of(bob), List.of(), TODAY);
        writer.update(List.of(), List.of(bob), TODAY);
        writer.update(List.of(bob), List.of(), TODAY);
        assertEquals(new OwnerIndex.Hit(alice, TODAY), first.find(address("alice-secret", TODAY,
                "temp.example.org")));
        assertInstanceOf(OwnerIndex.Miss.class, first.find(address("bob-secret", TODAY, "temp.example.org")),
                "it answers as the newest index does");
    }

    @Test
    void aLookupOnABufferBeingRewrittenNeitherTrustsNorLoopsOnWhatItReadsButAsksTheNewestIndex() {
        IndexWriter writer = new IndexWriter(true);
        Holder alice = holder("alice", "alice-secret", "temp.example.org");
        Holder bob = holder("bob", "bob-secret", "temp.example.org");
        OwnerIndex first = writer.rebuild(List.of(alice, bob), TODAY).index();
        writer.update(List.of(bob), List.of(), TODAY);
        // As the writer does when it reuses first's buffer: locked, and full of entries that match nothing.
        SlotTable buffer = first.buffer();
        long stamp = buffer.lock.writeLock();
        try {
            Arrays.fill(buffer.slots, 1);
            OwnerIndex.Match match = assertTimeoutPreemptively(Duration.ofSeconds(5),
                    () -> first.find(address("alice-secret", TODAY, "temp.example.org")));
            assertEquals(new OwnerIndex.Hit(alice, TODAY), match);
            assertInstanceOf(OwnerIndex.Miss.class, first.find(address("bob-secret", TODAY, "temp.example.org")));
        } finally {
            buffer.lock.unlockWrite(stamp);
        }
    }

    @Test
    void updatesGiveTheSameAnswersAsAFullBuildForRandomChanges() {
        Random random = new Random(11);
        List<Holder> pool = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            // Some secrets repeat, so that some holders collide; some holders have a rotated-out secret.
            String secret = "secret-" + random.nextInt(60);
            String domain = i % 3 == 0 ? "other.example" : "temp.example.org";
            List<Holder.Generation> generations = i % 5 == 0
                    ? List.of(new Holder.Generation(scheme(secret), LocalDate.MAX),
                            new Holder.Generation(scheme("old-" + secret), TODAY.plusDays(random.nextInt(6))))
                    : List.of(new Holder.Generation(scheme(secret), LocalDate.MAX));
            pool.add(new Holder(Optional.of("h" + i), domain, "h" + i + "@example.org", 1 + random.nextInt(3),
                    generations));
        }
        List<String> addresses = new ArrayList<>();
        for (Holder holder : pool) {
            for (int day = -4; day < 12; day++) {
                for (Holder.Generation generation : holder.generations()) {
                    addresses.add(generation.scheme().localPart(TODAY.plusDays(day)) + "@" + holder.domain());
                }
            }
        }
        IndexWriter writer = new IndexWriter(true);
        Set<Holder> present = new LinkedHashSet<>(pool.subList(0, 10));
        LocalDate today = TODAY;
        writer.rebuild(List.copyOf(present), today);
        int deltas = 0;
        for (int round = 0; round < 300; round++) {
            List<Holder> removed = new ArrayList<>();
            List<Holder> added = new ArrayList<>();
            for (int change = random.nextInt(4); change >= 0; change--) {
                Holder holder = pool.get(random.nextInt(pool.size()));
                if (present.contains(holder) && !added.contains(holder)) {
                    removed.add(holder);
                    present.remove(holder);
                } else if (!present.contains(holder) && !removed.contains(holder)) {
                    added.add(holder);
                    present.add(holder);
                }
            }
            if (round % 50 == 49) {
                today = today.plusDays(1);
            }
            IndexWriter.Written written = writer.update(removed, added, today);
            deltas += written.delta() ? 1 : 0;
            OwnerIndex built = OwnerIndex.build(List.copyOf(present), today);
            for (String address : addresses) {
                assertEquals(built.find(address), written.index().find(address), "round " + round + ": " + address);
            }
            assertEquals(built.entries(), written.index().entries(), "round " + round);
            assertEquals(built.collisions().size(), written.index().collisions().size(), "round " + round);
            assertEquals(built.domains(), written.index().domains(), "round " + round);
            assertEquals(present.size(), written.index().holders());
        }
        assertTrue(deltas > 200, deltas + " of 300 rounds updated only the changes");
    }

    @Test
    void lookupsAnswerRightWhileTheWriterReusesBothBuffersOverAndOver() throws Exception {
        List<Holder> stable = new ArrayList<>();
        List<Holder> flapping = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            stable.add(holder("stable" + i, "stable-secret-" + i, "temp.example.org"));
            flapping.add(holder("flapping" + i, "flapping-secret-" + i, "temp.example.org"));
        }
        IndexWriter writer = new IndexWriter(true);
        OwnerIndex first = writer.rebuild(stable, TODAY).index();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong lookups = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int seed = r;
            readers.add(new Thread(() -> {
                Random random = new Random(seed);
                while (!done.get()) {
                    OwnerIndex index = random.nextBoolean() ? first : writer.current();
                    LocalDate day = TODAY.plusDays(random.nextInt(3) - 1);
                    int i = random.nextInt(40);
                    OwnerIndex.Match stableMatch = index.find(address("stable-secret-" + i, day,
                            "temp.example.org"));
                    if (!stableMatch.equals(new OwnerIndex.Hit(stable.get(i), day))) {
                        wrong.add("stable" + i + " on " + day + ": " + stableMatch);
                    }
                    OwnerIndex.Match flappingMatch = index.find(address("flapping-secret-" + i, day,
                            "temp.example.org"));
                    if (!flappingMatch.equals(new OwnerIndex.Hit(flapping.get(i), day))
                            && !(flappingMatch instanceof OwnerIndex.Miss)) {
                        wrong.add("flapping" + i + " on " + day + ": " + flappingMatch);
                    }
                    OwnerIndex.Match unknown = index.find(address("nobody-" + i, day, "temp.example.org"));
                    if (!(unknown instanceof OwnerIndex.Miss)) {
                        wrong.add("nobody" + i + ": " + unknown);
                    }
                    lookups.incrementAndGet();
                }
            }));
        }
        readers.forEach(Thread::start);
        Random random = new Random(7);
        Set<Holder> in = new LinkedHashSet<>();
        int writes = 0;
        for (long end = System.nanoTime() + 1_500_000_000L; System.nanoTime() < end; writes++) {
            Holder holder = flapping.get(random.nextInt(flapping.size()));
            if (in.remove(holder)) {
                writer.update(List.of(holder), List.of(), TODAY);
            } else {
                in.add(holder);
                writer.update(List.of(), List.of(holder), TODAY);
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }
        assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers in " + lookups.get() + ", e.g. " + wrong.peek());
        assertTrue(writes > 1000 && lookups.get() > 1000, writes + " writes, " + lookups.get() + " lookups");
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
