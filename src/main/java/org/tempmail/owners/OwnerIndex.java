package org.tempmail.owners;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;

/**
 * Every holder's valid local parts, for the days from the oldest still in some window to tomorrow, keyed by a
 * 64-bit hash of local@domain in an open-addressing table: a lookup is a few array reads and one recomputed local
 * part to confirm it, never a query. Tomorrow is in, so an index built before midnight answers right after it
 * until the next one is built. A local part two holders share in one domain is kept as a collision that
 * belongs to neither. The hash is seeded at random, so a sender cannot aim at collisions.
 *
 * <p>An index is what an {@link IndexWriter} published; the writer may later rewrite the buffer it lies in for a
 * newer index. A lookup never waits: it reads the buffer without a lock, and when the buffer was rewritten
 * meanwhile, it asks the writer's newest index instead.
 */
public final class OwnerIndex {
    private final IndexWriter writer;
    private final SlotTable table;
    private final long serial;
    private final long seed;
    private final LocalDate today;
    private final Set<String> domains;
    private final List<String> collisions;
    private final int entries;
    private final int holders;

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

    OwnerIndex(IndexWriter writer, SlotTable table, long seed, LocalDate today, Set<String> domains,
            List<String> collisions, int entries, int holders) {
        this.writer = writer;
        this.table = table;
        this.serial = table.serial;
        this.seed = seed;
        this.today = today;
        this.domains = domains;
        this.collisions = collisions;
        this.entries = entries;
        this.holders = holders;
    }

    /** The index of the holders' addresses around {@code today}; holders' domains lowercase. */
    public static OwnerIndex build(List<Holder> holders, LocalDate today) {
        return new IndexWriter(false).rebuild(holders, today).index();
    }

    /** What the index knows of an address already read: unquoted, lowercase, without extension. */
    public Match find(String address) {
        long hash = HashCache.hash(seed, address);
        for (OwnerIndex index = this; ; index = index.writer.current()) {
            SlotTable buffer = index.table;
            long stamp = buffer.lock.tryOptimisticRead();
            if (buffer.serial != index.serial) {
                continue;
            }
            long[] slots = buffer.slots;
            Holder[] numbered = buffer.holders;
            int mask = buffer.mask;
            int limit = Math.min(buffer.maxProbe, mask);
            long value = 0;
            boolean found = false;
            // Read as the buffer may be rewritten under it: bounded, and thrown away unless the stamp holds.
            if (2 * mask + 1 < slots.length) {
                int slot = (int) hash & mask;
                for (int probe = 0; probe <= limit; probe++, slot = (slot + 1) & mask) {
                    long there = slots[2 * slot];
                    if (there == SlotTable.EMPTY) {
                        break;
                    }
                    if (there == hash) {
                        value = slots[2 * slot + 1];
                        found = true;
                        break;
                    }
                }
            }
            int number = SlotTable.holderOf(value);
            Holder holder = found && number >= 0 && number < numbered.length ? numbered[number] : null;
            if (!buffer.lock.validate(stamp)) {
                continue;
            }
            if (!found) {
                return MISSED;
            }
            if (number == SlotTable.COLLISION) {
                return COLLIDED;
            }
            return holder == null ? MISSED : confirmed(address, holder,
                    LocalDate.ofEpochDay(SlotTable.dayOf(value)), SlotTable.generationOf(value));
        }
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

    /** The buffer it was written in, which the writer may have reused since. */
    SlotTable buffer() {
        return table;
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
        return holders;
    }
}
