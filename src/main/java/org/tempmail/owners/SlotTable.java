package org.tempmail.owners;

import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/**
 * One buffer of the owner index: an open-addressing table with linear probing, two longs a slot so that a probe
 * reads one cache line: the hash (0: empty), then the holder's number (upper 32 bits, {@link #COLLISION} for
 * none), the epoch day (next 24) and the generation (lowest 8); and the holders by number. Written by one thread
 * under {@link #lock}'s write lock; read without locking, each read validated against the lock's stamp, so that a
 * reader never waits and throws away what it read while the buffer was being rewritten.
 */
final class SlotTable {
    static final int COLLISION = -1;
    static final long EMPTY = 0;
    /** What {@link #insert} returns for a slot it took. */
    static final int NONE = Integer.MIN_VALUE;

    final StampedLock lock = new StampedLock();
    long[] slots;
    int mask;
    Holder[] holders;
    /** The longest probe any insert made since the table was last cleared: no lookup needs a longer one. */
    int maxProbe;
    /** Which index this buffer holds now. */
    long serial;

    /** What a removal found. */
    enum Removed { REMOVED, COLLISION, ABSENT }

    SlotTable(int capacity) {
        slots = new long[2 * capacity];
        mask = capacity - 1;
        holders = new Holder[16];
    }

    int capacity() {
        return mask + 1;
    }

    /** Empties the table, reallocating only when the capacity changes. */
    void clear(int capacity) {
        if (capacity != capacity()) {
            slots = new long[2 * capacity];
            mask = capacity - 1;
        } else {
            Arrays.fill(slots, EMPTY);
        }
        Arrays.fill(holders, null);
        maxProbe = 0;
    }

    /** Becomes a copy of {@code other}, reusing its arrays when they are as large. */
    void copyFrom(SlotTable other) {
        if (slots.length != other.slots.length) {
            slots = new long[other.slots.length];
        }
        System.arraycopy(other.slots, 0, slots, 0, slots.length);
        mask = other.mask;
        if (holders.length != other.holders.length) {
            holders = new Holder[other.holders.length];
        }
        System.arraycopy(other.holders, 0, holders, 0, holders.length);
        maxProbe = other.maxProbe;
    }

    void setHolder(int number, Holder holder) {
        if (number >= holders.length) {
            holders = Arrays.copyOf(holders, Math.max(number + 1, holders.length * 2));
        }
        holders[number] = holder;
    }

    /**
     * Puts {@code hash} in for {@code holder}, or, when another holder has it already, makes it a collision.
     * @return {@link #NONE} when the slot was free, else the holder number that was there (this holder's own,
     *     another's, or {@link #COLLISION})
     */
    int insert(long hash, int holder, long epochDay, int generation) {
        int probe = 0;
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask, probe++) {
            long found = slots[2 * slot];
            if (found == EMPTY) {
                slots[2 * slot] = hash;
                slots[2 * slot + 1] = pack(holder, epochDay, generation);
                maxProbe = Math.max(maxProbe, probe);
                return NONE;
            }
            if (found == hash) {
                int there = holderOf(slots[2 * slot + 1]);
                if (there != holder) {
                    slots[2 * slot + 1] = pack(COLLISION, epochDay, 0);
                }
                return there;
            }
        }
    }

    /** The holder number {@code hash} has ({@link #COLLISION} for none), or {@link #NONE} when absent. */
    int holderAt(long hash) {
        for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
            long found = slots[2 * slot];
            if (found == EMPTY) {
                return NONE;
            }
            if (found == hash) {
                return holderOf(slots[2 * slot + 1]);
            }
        }
    }

    /**
     * Removes {@code holder}'s entry of {@code hash}, shifting the entries after it back so that no probe
     * sequence is broken (backward-shift deletion). A collision is left as it is.
     */
    Removed remove(long hash, int holder) {
        int slot = (int) hash & mask;
        for (; ; slot = (slot + 1) & mask) {
            long found = slots[2 * slot];
            if (found == EMPTY) {
                return Removed.ABSENT;
            }
            if (found == hash) {
                int owner = holderOf(slots[2 * slot + 1]);
                if (owner == COLLISION) {
                    return Removed.COLLISION;
                }
                if (owner != holder) {
                    return Removed.ABSENT;
                }
                break;
            }
        }
        int hole = slot;
        for (int next = (hole + 1) & mask; slots[2 * next] != EMPTY; next = (next + 1) & mask) {
            int home = (int) slots[2 * next] & mask;
            boolean staysPut = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!staysPut) {
                slots[2 * hole] = slots[2 * next];
                slots[2 * hole + 1] = slots[2 * next + 1];
                hole = next;
            }
        }
        slots[2 * hole] = EMPTY;
        slots[2 * hole + 1] = 0;
        return Removed.REMOVED;
    }

    static long pack(int holder, long epochDay, int generation) {
        return (long) holder << 32 | (epochDay & 0xffffff) << 8 | generation & 0xff;
    }

    static int holderOf(long value) {
        return (int) (value >> 32);
    }

    static long dayOf(long value) {
        return (value >>> 8) & 0xffffff;
    }

    static int generationOf(long value) {
        return (int) (value & 0xff);
    }
}
