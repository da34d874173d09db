package org.tempmail.owners;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Writes the owner index into two buffers in turn: the current index's, which lookups read, and a spare one,
 * whose readers (of an index replaced since) are told to retry on the current one. A change of a few holders
 * brings the spare buffer up to date by replaying there the change before (a full build is copied there at
 * once), then removes and adds only those holders' entries, so that it costs their digests and leaves no
 * garbage; a new day, a removal that touches a collision (the other holder may then have the local part alone)
 * and a table grown too full are built again from all holders, still into the spare buffer. Used by one thread at a time; {@link #current()} by any.
 */
final class IndexWriter {
    /** Rebuilt when an update would fill more of the table than this. */
    private static final double MAX_LOAD = 0.7;

    private final HashCache hashes = new HashCache();
    private final SlotTable[] tables = new SlotTable[2];
    private final boolean updated;
    private int spare;
    private volatile OwnerIndex current;
    /** The state of the current index, kept from one write to the next. */
    private final Map<Holder, Integer> numbers = new IdentityHashMap<>();
    private final List<Integer> freeNumbers = new ArrayList<>();
    private int nextNumber;
    private final Map<String, Integer> domainCounts = new HashMap<>();
    private Set<String> domains = Set.of();
    private List<String> collisions = List.of();
    private List<String> found = new ArrayList<>();
    private int entries;
    private LocalDate today;
    private long serial;
    /** The last change's writes, which the spare buffer lacks; null when it lacks more (after a full build). */
    private List<Consumer<SlotTable>> behind;
    /** The writes of the change under way, or null while building from nothing. */
    private List<Consumer<SlotTable>> recording;
    /** The holder number {@link #prepare} goes on from. */
    private int preparing;

    /** An index written, whether only the changes were, and the collisions this write found. */
    record Written(OwnerIndex index, boolean delta, List<String> newCollisions) {
    }

    /**
     * @param updated whether indexes will be updated (a server's): then both buffers are made at the first
     *     build, so that no change allocates a table; else the second only if one ever is (a command's index)
     */
    IndexWriter(boolean updated) {
        this.updated = updated;
    }

    /** The newest index written, or null before the first. */
    OwnerIndex current() {
        return current;
    }

    /** The holders indexed now. */
    Collection<Holder> holders() {
        return numbers.keySet();
    }

    /** Builds the index of {@code all} for {@code today} from nothing. */
    Written rebuild(Collection<Holder> all, LocalDate day) {
        long expected = 0;
        for (Holder holder : all) {
            expected += (long) (holder.validDays() + 1) * holder.generations().size();
        }
        int capacity = Integer.highestOneBit((int) Math.max(16, Math.min(1 << 30, expected * 2)) - 1) << 1;
        SlotTable table = spareTable(capacity);
        behind = null;
        recording = null;
        long stamp = table.lock.writeLock();
        try {
            table.clear(capacity);
            // The holders that stay keep their hashes (moved by a day on a new day); the others' are dropped.
            Set<Holder> staying = Collections.newSetFromMap(new IdentityHashMap<>());
            staying.addAll(all);
            for (Holder holder : numbers.keySet()) {
                if (!staying.contains(holder)) {
                    hashes.forget(holder);
                }
            }
            numbers.clear();
            freeNumbers.clear();
            nextNumber = 0;
            domainCounts.clear();
            found = new ArrayList<>();
            entries = 0;
            today = day;
            for (Holder holder : all) {
                add(table, holder);
            }
            collisions = List.copyOf(found);
            domains = Set.copyOf(domainCounts.keySet());
            table.serial = ++serial;
        } finally {
            table.lock.unlockWrite(stamp);
        }
        Written written = publish(table, false);
        if (updated) {
            catchUp(tables[spare], table);
        }
        return written;
    }

    /**
     * Copies a full build into the other buffer at once, so that the next change, which is what a server waits
     * for, replays nothing there instead of copying the whole table.
     */
    private void catchUp(SlotTable other, SlotTable built) {
        long stamp = other.lock.writeLock();
        try {
            other.copyFrom(built);
            // A serial no index has: readers of the index this buffer held move to the current one.
            other.serial = ++serial;
        } finally {
            other.lock.unlockWrite(stamp);
        }
        behind = new ArrayList<>();
    }

    /**
     * The index with {@code removed} taken out and {@code added} put in, holders indexed or not; built again from
     * all holders when the day changed, when a removal touches a collision or when the table would be too full.
     */
    Written update(Collection<Holder> removed, Collection<Holder> added, LocalDate day) {
        OwnerIndex now = current;
        if (now == null || !day.equals(today) || touchesCollision(removed) || tooFull(added)) {
            return rebuild(afterChange(removed, added), day);
        }
        SlotTable from = tables[1 - spare];
        SlotTable table = spareTable(from.capacity());
        List<Consumer<SlotTable>> missing = behind;
        // Should this write fail half-way, the next one copies (or OwnerDirectory builds from nothing).
        behind = null;
        long stamp = table.lock.writeLock();
        try {
            if (missing != null && table.slots.length == from.slots.length) {
                missing.forEach(write -> write.accept(table));
                table.maxProbe = Math.max(table.maxProbe, from.maxProbe);
            } else {
                table.copyFrom(from);
            }
            recording = new ArrayList<>();
            found = new ArrayList<>();
            boolean domainsChanged = false;
            for (Holder holder : removed) {
                domainsChanged |= remove(table, holder);
            }
            for (Holder holder : added) {
                if (!numbers.containsKey(holder)) {
                    domainsChanged |= add(table, holder);
                }
            }
            if (!found.isEmpty()) {
                List<String> all = new ArrayList<>(collisions);
                all.addAll(found);
                collisions = List.copyOf(all);
            }
            if (domainsChanged) {
                domains = Set.copyOf(domainCounts.keySet());
            }
            table.serial = ++serial;
            behind = recording;
        } finally {
            recording = null;
            table.lock.unlockWrite(stamp);
        }
        return publish(table, true);
    }

    /**
     * Digests ahead, for at most {@code budget} holders, the day the index of {@code nextToday} will need that
     * the current one lacks (its tomorrow's tomorrow), so that the build of the new day digests nothing; done a
     * few at a time before midnight by the thread that writes the index.
     * @return whether every holder is prepared
     */
    boolean prepare(LocalDate nextToday, int budget) {
        if (current == null || !nextToday.equals(today.plusDays(1))) {
            return false;
        }
        Holder[] numbered = tables[1 - spare].holders;
        int done = 0;
        for (; preparing < Math.min(nextNumber, numbered.length) && done < budget; preparing++) {
            Holder holder = numbered[preparing];
            if (holder != null && hashes.prepare(holder, nextToday)) {
                done++;
            }
        }
        if (preparing < nextNumber) {
            return false;
        }
        preparing = 0;
        return done == 0;
    }

    private List<Holder> afterChange(Collection<Holder> removed, Collection<Holder> added) {
        Set<Holder> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(removed);
        List<Holder> all = new ArrayList<>(numbers.size() + added.size());
        for (Holder holder : numbers.keySet()) {
            if (!gone.contains(holder)) {
                all.add(holder);
            }
        }
        for (Holder holder : added) {
            if (!numbers.containsKey(holder) || gone.contains(holder)) {
                all.add(holder);
            }
        }
        return all;
    }

    /** Whether removing one of these holders would meet a collision, which a full build must resolve. */
    private boolean touchesCollision(Collection<Holder> removed) {
        SlotTable table = tables[1 - spare];
        for (Holder holder : removed) {
            if (!numbers.containsKey(holder)) {
                continue;
            }
            for (long hash : hashes.of(holder, today)) {
                if (hash != SlotTable.EMPTY && table.holderAt(hash) == SlotTable.COLLISION) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean tooFull(Collection<Holder> added) {
        long adding = 0;
        for (Holder holder : added) {
            adding += (long) (holder.validDays() + 1) * holder.generations().size();
        }
        return entries + adding > MAX_LOAD * tables[1 - spare].capacity();
    }

    /** @return whether its domain is new */
    private boolean add(SlotTable table, Holder holder) {
        int number = freeNumbers.isEmpty() ? nextNumber++ : freeNumbers.remove(freeNumbers.size() - 1);
        numbers.put(holder, number);
        setHolder(table, number, holder);
        long[] values = hashes.of(holder, today);
        int generations = holder.generations().size();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == SlotTable.EMPTY) {
                continue;
            }
            LocalDate day = today.minusDays(i / generations - 1);
            int there = insert(table, values[i], number, day.toEpochDay(), i % generations);
            if (there == SlotTable.NONE) {
                entries++;
            } else if (there == SlotTable.COLLISION) {
                found.add("@" + holder.domain() + " on " + day + ": also " + holder.describe());
            } else if (there != number) {
                found.add("@" + holder.domain() + " on " + day + ": " + table.holders[there].describe() + " and "
                        + holder.describe());
            }
        }
        return domainCounts.merge(holder.domain(), 1, Integer::sum) == 1;
    }

    /** @return whether its domain is gone */
    private boolean remove(SlotTable table, Holder holder) {
        Integer number = numbers.remove(holder);
        if (number == null) {
            return false;
        }
        for (long hash : hashes.of(holder, today)) {
            if (hash != SlotTable.EMPTY && remove(table, hash, number) == SlotTable.Removed.REMOVED) {
                entries--;
            }
        }
        hashes.forget(holder);
        setHolder(table, number, null);
        freeNumbers.add(number);
        if (domainCounts.merge(holder.domain(), -1, Integer::sum) > 0) {
            return false;
        }
        domainCounts.remove(holder.domain());
        return true;
    }

    /** The table writes of a change go through these, so that the other buffer can be given them too. */
    private void setHolder(SlotTable table, int number, Holder holder) {
        table.setHolder(number, holder);
        if (recording != null) {
            recording.add(other -> other.setHolder(number, holder));
        }
    }

    private int insert(SlotTable table, long hash, int number, long epochDay, int generation) {
        if (recording != null) {
            recording.add(other -> other.insert(hash, number, epochDay, generation));
        }
        return table.insert(hash, number, epochDay, generation);
    }

    private SlotTable.Removed remove(SlotTable table, long hash, int number) {
        if (recording != null) {
            recording.add(other -> other.remove(hash, number));
        }
        return table.remove(hash, number);
    }

    private SlotTable spareTable(int capacity) {
        if (tables[spare] == null) {
            tables[spare] = new SlotTable(capacity);
        }
        if (updated && tables[1 - spare] == null) {
            tables[1 - spare] = new SlotTable(capacity);
        }
        return tables[spare];
    }

    private Written publish(SlotTable table, boolean delta) {
        OwnerIndex index = new OwnerIndex(this, table, hashes.seed(), today, domains, collisions, entries,
                numbers.size());
        current = index;
        spare = 1 - spare;
        return new Written(index, delta, List.copyOf(found));
    }
}
