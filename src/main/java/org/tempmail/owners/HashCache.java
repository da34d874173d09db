package org.tempmail.owners;

import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The hashes of each holder's local parts, kept from one build of the index to the next while the holder (the
 * same object: an unchanged owner) and the day stay the same, so that a change of one owner costs one owner's
 * digests, not every owner's. Its seed is chosen at random once; a sender never learns it. Used by one
 * building thread at a time.
 */
public final class HashCache {
    private static final SecureRandom SEEDS = new SecureRandom();

    private final long seed = SEEDS.nextLong();
    private LocalDate day;
    private Map<Holder, long[]> previous = new IdentityHashMap<>();
    private Map<Holder, long[]> current = new IdentityHashMap<>();

    long seed() {
        return seed;
    }

    void start(LocalDate today) {
        if (!today.equals(day)) {
            previous = new IdentityHashMap<>();
        }
        day = today;
        current = new IdentityHashMap<>();
    }

    /** The hashes kept for this holder, or null. */
    long[] get(Holder holder) {
        long[] hashes = previous.get(holder);
        if (hashes != null) {
            current.put(holder, hashes);
        }
        return hashes;
    }

    void put(Holder holder, long[] hashes) {
        current.put(holder, hashes);
    }

    /** Forgets the holders the last build did not use. */
    void finish() {
        previous = current;
        current = new IdentityHashMap<>();
    }
}
