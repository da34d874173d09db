package org.tempmail.owners;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every holder's valid local parts, for the days from the oldest still in some window to tomorrow, keyed by a
 * 64-bit hash of local@domain in an open-addressing table: a lookup is a few array reads and one recomputed local
 * part to confirm it, never a query. Tomorrow is in, so an index built before midnight answers right after it
 * until the next one is built. A local part two holders share in one domain is kept as a collision that
 * belongs to neither. Immutable once built; the hash is seeded at random, so a sender cannot aim at collisions.
 */
public final class OwnerIndex {
    private static final int COLLISION = -1;
    private static final long EMPTY = 0;

    private final LocalDate today;
    private final List<Holder> holders;
    private final long seed;
    /**
     * Two longs a slot, so that a probe reads one cache line: the hash (0: empty), then the holder's number
     * (upper 32 bits, {@link #COLLISION} for none), the epoch day (next 24) and the generation (lowest 8).
     */
    private final long[] slots;
    private final int mask;
    private final Set<String> domains;
    private final List<String> collisions;
    private final int entries;

    /** What the index knows of an address. */
    public sealed interface Match {
    }

    /** {@code holder}'s local part for {@code day}. */
    public record Hit(Holder holder, LocalDate day) implements Match {
    }

    /** Two holders' local parts coincide: the address is neither's. */
    public record Collision() implements Match {
    }

    /** Not a local part of any holder on any day the index covers. */
    public record Miss() implements Match {
    }

    private static final Match COLLIDED = new Collision();
    private static final Match MISSED = new Miss();

    private OwnerIndex(LocalDate today, List<Holder> holders, int capacity, long seed) {
        this.today = today;
        this.holders = holders;
        this.seed = seed;
        this.slots = new long[2 * capacity];
        this.mask = capacity - 1;
        Set<String> seen = new HashSet<>();
        for (Holder holder : holders) {
            seen.add(holder.domain());
        }
        this.domains = Collections.unmodifiableSet(seen);
        this.collisions = new ArrayList<>();
        this.entries = 0;
    }

    private OwnerIndex(OwnerIndex built, int entries) {
        this.today = built.today;
        this.holders = built.holders;
        this.seed = built.seed;
        this.slots = built.slots;
        this.mask = built.mask;
        this.domains = built.domains;
        this.collisions = List.copyOf(built.collisions);
        this.entries = entries;
    }

    /** The index of the holders' addresses around {@code today}; holders' domains lowercase. */
    public static OwnerIndex build(List<Holder> holders, LocalDate today) {
        return build(holders, today, new HashCache());
    }

    /** The same, reusing the hashes {@code cache} kept of holders built before. */
    public static OwnerIndex build(List<Holder> holders, LocalDate today, HashCache cache) {
        cache.start(today);
        List<Holder> all = List.copyOf(holders);
        long expected = 0;
        for (Holder holder : all) {
            expected += (long) (holder.validDays() + 1) * holder.generations().size();
        }
        int capacity = Integer.highestOneBit((int) Math.max(16, Math.min(1 << 30, expected * 2)) - 1) << 1;
        OwnerIndex index = new OwnerIndex(today, all, capacity, cache.seed());
        int entries = 0;
        for (int h = 0; h < all.size(); h++) {
            Holder holder = all.get(h);
            long[] hashes = cache.get(holder);
            if (hashes == null) {
                hashes = index.hashes(holder);
                cache.put(holder, hashes);
            }
            int generations = holder.generations().size();
            for (int back = -1; back < holder.validDays(); back++) {
                for (int g = 0; g < generations; g++) {
                    long hash = hashes[(back + 1) * generations + g];
                    if (hash != EMPTY && index.insert(hash, holder.domain(), h, today.minusDays(back), g)) {
                        entries++;
                    }
                }
            }
        }
        cache.finish();
        return new OwnerIndex(index, entries);
    }

    /**
     * The hashes of a holder's local parts from tomorrow back to the oldest day of its window, each day's
     * generations in turn; {@link #EMPTY} for a day past a generation's last.
     */
    private long[] hashes(Holder holder) {
        int generations = holder.generations().size();
        long[] hashes = new long[(holder.validDays() + 1) * generations];
        for (int back = -1; back < holder.validDays(); back++) {
            LocalDate day = today.minusDays(back);
            for (int g = 0; g < generations; g++) {
                Holder.Generation generation = holder.generations().get(g);
                if (!day.isAfter(generation.lastDay())) {
                    hashes[(back + 1) * generations + g] =
                            finish(feed(feed(feed(start(), generation.scheme().localPart(day)), "@"), holder.domain()));
                }
            }
        }
        return hashes;
    }

    /** @return whether a new slot was taken */
    private boolean insert(long hash, String domain, int holder, LocalDate day, int generation) {
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            if (slots[2 * slot] == EMPTY) {
                slots[2 * slot] = hash;
                slots[2 * slot + 1] = pack(holder, day, generation);
                return true;
            }
            if (slots[2 * slot] == hash) {
                int other = holderOf(slots[2 * slot + 1]);
                if (other == holder) {
                    return false;
                }
                // Equal local parts, or (about once in 2^64) equal hashes of different ones: neither is kept.
                if (other != COLLISION) {
                    collisions.add("@" + domain + " on " + day + ": " + holders.get(other).describe() + " and "
                            + holders.get(holder).describe());
                    slots[2 * slot + 1] = pack(COLLISION, day, 0);
                } else {
                    collisions.add("@" + domain + " on " + day + ": also " + holders.get(holder).describe());
                }
                return false;
            }
        }
    }

    /** What the index knows of an address already read: unquoted, lowercase, without extension. */
    public Match find(String address) {
        long hash = hash(address);
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            long found = slots[2 * slot];
            if (found == EMPTY) {
                return MISSED;
            }
            if (found == hash) {
                long value = slots[2 * slot + 1];
                int holder = holderOf(value);
                if (holder == COLLISION) {
                    return COLLIDED;
                }
                return confirmed(address, holders.get(holder), LocalDate.ofEpochDay((value >>> 8) & 0xffffff),
                        (int) (value & 0xff));
            }
        }
    }

    private static long pack(int holder, LocalDate day, int generation) {
        return (long) holder << 32 | (day.toEpochDay() & 0xffffff) << 8 | generation & 0xff;
    }

    private static int holderOf(long value) {
        return (int) (value >> 32);
    }

    /** The hash matched; the local part must too, recomputed, so that a forged hash gains nothing. */
    private static Match confirmed(String address, Holder holder, LocalDate day, int generation) {
        int at = address.lastIndexOf('@');
        if (at < 0 || !address.regionMatches(at + 1, holder.domain(), 0, holder.domain().length())
                || address.length() - at - 1 != holder.domain().length()) {
            return MISSED;
        }
        String localPart = holder.generations().get(generation).scheme().localPart(day);
        return address.regionMatches(0, localPart, 0, at) && localPart.length() == at
                ? new Hit(holder, day) : MISSED;
    }

    private long hash(String text) {
        return finish(feed(start(), text));
    }

    /** FNV-1a over the characters, then MurmurHash3's finaliser so that every bit counts; never 0. */
    private long start() {
        return seed ^ 0xcbf29ce484222325L;
    }

    private static long feed(long hash, String text) {
        long h = hash;
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }

    private static long finish(long hash) {
        long h = hash;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == EMPTY ? 1 : h;
    }

    /** The day it was built for: it answers for that day and the next. */
    public LocalDate today() {
        return today;
    }

    public boolean covers(LocalDate day) {
        return !day.isBefore(today) && !day.isAfter(today.plusDays(1));
    }

    /** The domains of its holders, lowercase. */
    public Set<String> domains() {
        return domains;
    }

    /** One line for each local part two holders share: the domain, the day and both holders, never the part. */
    public List<String> collisions() {
        return collisions;
    }

    public int entries() {
        return entries;
    }

    public int holders() {
        return holders.size();
    }
}
