package org.tempmail.owners;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The 64-bit hashes of each holder's local parts (local@domain) from tomorrow back to the oldest day of its
 * window, kept while the holder (the same object: an unchanged owner) is in the index, so that a change of one
 * owner costs one owner's digests, and a new day costs one day's, not every day's. The hash is seeded at random
 * once; a sender never learns the seed, so cannot aim at collisions. Used by one building thread at a time.
 */
final class HashCache {
    private static final SecureRandom SEEDS = new SecureRandom();

    private final long seed = SEEDS.nextLong();
    private final Map<Holder, Hashes> kept = new IdentityHashMap<>();

    /** A holder's hashes for the index of {@code today}, and those of the day after its tomorrow once prepared. */
    private static final class Hashes {
        LocalDate today;
        long[] values;
        LocalDate preparedFor;
        long[] prepared;
    }

    long seed() {
        return seed;
    }

    /**
     * The hashes of a holder's local parts for the index of {@code today}: from tomorrow back to the oldest day
     * of its window, each day's generations in turn, {@link SlotTable#EMPTY} for a day past a generation's last.
     */
    long[] of(Holder holder, LocalDate today) {
        int generations = holder.generations().size();
        Hashes hashes = kept.get(holder);
        if (hashes == null) {
            hashes = new Hashes();
            hashes.values = new long[(holder.validDays() + 1) * generations];
            for (int back = -1; back < holder.validDays(); back++) {
                compute(holder, today, back, hashes.values);
            }
            kept.put(holder, hashes);
        } else if (hashes.today.plusDays(1).equals(today)) {
            // The days move by one: every day but the new tomorrow is known already, and it may be prepared.
            System.arraycopy(hashes.values, 0, hashes.values, generations, hashes.values.length - generations);
            if (today.equals(hashes.preparedFor)) {
                System.arraycopy(hashes.prepared, 0, hashes.values, 0, generations);
            } else {
                compute(holder, today, -1, hashes.values);
            }
        } else if (!hashes.today.equals(today)) {
            for (int back = -1; back < holder.validDays(); back++) {
                compute(holder, today, back, hashes.values);
            }
        }
        hashes.today = today;
        return hashes.values;
    }

    /**
     * Digests ahead the one day a holder kept for the index of the day before {@code nextToday} lacks for the
     * index of {@code nextToday}, so that building that index digests nothing.
     * @return whether it digested anything
     */
    boolean prepare(Holder holder, LocalDate nextToday) {
        Hashes hashes = kept.get(holder);
        if (hashes == null || !nextToday.equals(hashes.today.plusDays(1)) || nextToday.equals(hashes.preparedFor)) {
            return false;
        }
        // The new tomorrow comes first in the hashes: computed alone, it fills an array of one day.
        hashes.prepared = new long[holder.generations().size()];
        compute(holder, nextToday, -1, hashes.prepared);
        hashes.preparedFor = nextToday;
        return true;
    }

    void forget(Holder holder) {
        kept.remove(holder);
    }

    /** Forgets every holder. */
    void clear() {
        kept.clear();
    }

    private void compute(Holder holder, LocalDate today, int back, long[] values) {
        int generations = holder.generations().size();
        LocalDate day = today.minusDays(back);
        for (int g = 0; g < generations; g++) {
            Holder.Generation generation = holder.generations().get(g);
            values[(back + 1) * generations + g] = day.isAfter(generation.lastDay()) ? SlotTable.EMPTY
                    : finish(feed(feed(feed(start(seed), generation.scheme().localPart(day)), "@"),
                            holder.domain()));
        }
    }

    /** The hash of an address: equal to the hash of a local part and domain that make it. */
    static long hash(long seed, String address) {
        return finish(feed(start(seed), address));
    }

    /** FNV-1a over the characters, then MurmurHash3's finaliser so that every bit counts; never 0. */
    private static long start(long seed) {
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
        return h == SlotTable.EMPTY ? 1 : h;
    }
}
