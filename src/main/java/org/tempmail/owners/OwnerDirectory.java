package org.tempmail.owners;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.tempmail.config.AddressSettings;
import org.tempmail.storage.Owner;
import org.tempmail.storage.OwnerStore;
import org.tempmail.storage.StoreException;

/**
 * The owner index in use, replaced by a new one when the day changes or the owners' version does. A server
 * writes it on a thread of its own, polling the version every {@link #POLL}: a change of owners updates only
 * their entries, a new day (its local parts digested in the minutes before midnight) builds it again, and either
 * is swapped in whole, so that a lookup reads whatever index is current and never waits. A command that runs
 * once builds it on its first lookup. While the store cannot be read the last index goes on answering, but says
 * it is stale, so that addresses it does not know are "try later", not "unknown".
 */
public final class OwnerDirectory implements AutoCloseable {
    public static final Duration POLL = Duration.ofSeconds(1);
    /** How long before midnight the server starts digesting the new day's local parts, a few at each poll. */
    private static final Duration PREPARE_AHEAD = Duration.ofMinutes(15);
    /** Owners digested ahead at each poll: 100,000 owners in under a minute, a few ms of CPU at a time. */
    private static final int PREPARED_PER_POLL = 2_000;

    private final OwnerStore store;
    private final AddressSettings settings;
    private final Clock clock;
    private final Consumer<String> log;
    private final boolean background;
    /** tempmail.cf's owner, if it has one. */
    private final Optional<Holder> defaultHolder;
    private final IndexWriter writer;
    /** The holder of each enabled owner, by id, as indexed: an unchanged owner keeps its holder and its hashes. */
    private final Map<Long, Holder> holders = new HashMap<>();
    /** Set when writing the index failed half-way: the next write builds it from all holders. */
    private boolean rebuildAll;
    /** The owners as last read, by id; after the first read only the changes are read. */
    private final Map<Long, Owner> owners = new HashMap<>();
    private volatile Snapshot current;
    private volatile Optional<String> failure = Optional.of("the owners have not been read yet");
    private ScheduledExecutorService poller;

    /** An index and the owners' version it was built from. */
    private record Snapshot(OwnerIndex index, long version) {
    }

    /**
     * What a lookup gets: the index, and why it may not be trusted to call an address unknown, if so;
     * {@code read} is false while no owners were ever read, when even their domains are not known.
     */
    public record View(OwnerIndex index, Optional<String> staleBecause, boolean read) {
    }

    private OwnerDirectory(OwnerStore store, AddressSettings settings, Clock clock, Consumer<String> log,
            boolean background) {
        this.store = store;
        this.settings = settings;
        this.clock = clock;
        this.log = log;
        this.background = background;
        this.writer = new IndexWriter(background);
        this.defaultHolder = OwnerAddresses.defaultHolder(settings);
    }

    /** For a command that runs once: built on the first lookup, never rebuilt after. */
    public static OwnerDirectory once(OwnerStore store, AddressSettings settings, Clock clock) {
        return new OwnerDirectory(store, settings, clock, event -> { }, false);
    }

    /** For the server: built now, then kept current on a thread of its own until closed. */
    public static OwnerDirectory serving(OwnerStore store, AddressSettings settings, Clock clock,
            Consumer<String> log) {
        OwnerDirectory directory = new OwnerDirectory(store, settings, clock, log, true);
        directory.refresh();
        directory.poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "owner-index");
            thread.setDaemon(true);
            return thread;
        });
        directory.poller.scheduleWithFixedDelay(directory::refreshQuietly, POLL.toMillis(), POLL.toMillis(),
                TimeUnit.MILLISECONDS);
        return directory;
    }

    /** The index to answer a lookup at {@code at} with. */
    public View view(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, zone());
        Snapshot snapshot = current;
        if (!background && (snapshot == null || !snapshot.index().covers(day))) {
            refresh(day);
            snapshot = current;
        }
        if (snapshot == null) {
            return new View(OwnerIndex.build(defaultHolder.stream().toList(), day), failure, false);
        }
        if (!snapshot.index().covers(day)) {
            return new View(snapshot.index(), Optional.of("the owner index of " + snapshot.index().today()
                    + " does not cover " + day), true);
        }
        return new View(snapshot.index(), failure, true);
    }

    /** The owners' domains, lowercase, as of the index in use (read now by a command that runs once). */
    public Set<String> domains() {
        Snapshot snapshot = current;
        if (snapshot == null && !background) {
            refresh();
            snapshot = current;
        }
        return snapshot == null ? Set.of() : snapshot.index().domains();
    }

    private ZoneId zone() {
        return settings.zone();
    }

    private void refreshQuietly() {
        try {
            refresh();
            prepareNextDay();
        } catch (RuntimeException e) {
            log.accept("owners: rebuilding the index failed: " + e);
        }
    }

    /** Shortly before midnight, digests the next day's local parts ahead, so that its build has none to do. */
    private synchronized void prepareNextDay() {
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone()));
        LocalDate tomorrow = now.toLocalDate().plusDays(1);
        if (failure.isEmpty() && Duration.between(now, tomorrow.atStartOfDay(zone())).compareTo(PREPARE_AHEAD) <= 0) {
            writer.prepare(tomorrow, PREPARED_PER_POLL);
        }
    }

    /** Rebuilds when the day or the owners' version changed; a store that fails marks the index stale. */
    public void refresh() {
        refresh(LocalDate.now(clock.withZone(zone())));
    }

    private synchronized void refresh(LocalDate today) {
        Snapshot snapshot = current;
        try {
            long version = store.version();
            long started = System.nanoTime();
            if (snapshot == null) {
                owners.clear();
                holders.clear();
                store.list().forEach(owner -> owners.put(owner.id(), owner));
                owners.values().forEach(this::holdIfEnabled);
                current = new Snapshot(write(() -> writer.rebuild(allHolders(), today), started), version);
            } else if (version != snapshot.version()) {
                OwnerStore.Changes changes = store.changesSince(snapshot.version());
                current = new Snapshot(changed(changes, today, started), changes.version());
            } else if (!snapshot.index().today().equals(today) || rebuildAll) {
                current = new Snapshot(write(() -> writer.rebuild(allHolders(), today), started), version);
            }
            if (failure.isPresent() && snapshot != null) {
                log.accept("owners: the store answers again; the owner index is current");
            }
            failure = Optional.empty();
        } catch (StoreException e) {
            // A store missing at start is reported by the server's own check; here only a change is.
            if (failure.isEmpty() && snapshot != null) {
                log.accept("warning: owners: cannot read them (" + e.getMessage() + "); addresses the last index "
                        + "does not know answer TEMP until the store is back");
            }
            failure = Optional.of("owners: " + e.getMessage());
        }
    }

    /** The index after {@code changes}: only the changed owners' entries written, unless all owners were read. */
    private OwnerIndex changed(OwnerStore.Changes changes, LocalDate today, long started) {
        if (changes.everyOwner()) {
            log.accept("owners: the removals since version " + current.version() + " were pruned; "
                    + "read every owner again");
            List<Holder> every = rereadAll(changes.changed());
            return write(() -> writer.rebuild(every, today), started);
        }
        List<Holder> removed = new ArrayList<>();
        List<Holder> added = new ArrayList<>();
        for (long id : changes.removed()) {
            owners.remove(id);
            Optional.ofNullable(holders.remove(id)).ifPresent(removed::add);
        }
        for (Owner owner : changes.changed()) {
            if (!owner.equals(owners.put(owner.id(), owner))) {
                Optional.ofNullable(holders.remove(owner.id())).ifPresent(removed::add);
                holdIfEnabled(owner).ifPresent(added::add);
            }
        }
        boolean all = rebuildAll;
        return write(() -> all ? writer.rebuild(allHolders(), today) : writer.update(removed, added, today), started);
    }

    private Optional<Holder> holdIfEnabled(Owner owner) {
        if (!owner.enabled()) {
            return Optional.empty();
        }
        Holder holder = OwnerAddresses.holder(owner, settings);
        holders.put(owner.id(), holder);
        return Optional.of(holder);
    }

    /**
     * Every owner read again: the owners and holders replaced by them, an unchanged owner keeping its holder (and
     * so its hashes).
     * @return every holder
     */
    private List<Holder> rereadAll(List<Owner> every) {
        Map<Long, Owner> before = new HashMap<>(owners);
        Map<Long, Holder> held = new HashMap<>(holders);
        owners.clear();
        holders.clear();
        for (Owner owner : every) {
            owners.put(owner.id(), owner);
            if (owner.equals(before.get(owner.id())) && held.containsKey(owner.id())) {
                holders.put(owner.id(), held.get(owner.id()));
            } else {
                holdIfEnabled(owner);
            }
        }
        return allHolders();
    }

    private List<Holder> allHolders() {
        List<Holder> all = new ArrayList<>(holders.size() + 1);
        defaultHolder.ifPresent(all::add);
        all.addAll(holders.values());
        return all;
    }

    private OwnerIndex write(Supplier<IndexWriter.Written> writing, long started) {
        long read = System.nanoTime();
        IndexWriter.Written written;
        try {
            written = writing.get();
        } catch (RuntimeException e) {
            rebuildAll = true;
            throw e;
        }
        rebuildAll = false;
        OwnerIndex index = written.index();
        for (String collision : written.newCollisions()) {
            log.accept("warning: owners: local part collision in " + collision.substring(1)
                    + "; neither gets mail at it (unknown, 550), their other addresses work");
        }
        if (background && !owners.isEmpty()) {
            log.accept("owners: index of " + holders.size() + " enabled owners "
                    + (written.delta() ? "updated" : "built") + " for " + index.today() + " ("
                    + index.entries() + " local parts; " + Duration.ofNanos(read - started).toMillis()
                    + " ms to read from the store, " + Duration.ofNanos(System.nanoTime() - read).toMillis()
                    + " ms to " + (written.delta() ? "update" : "build") + ")");
        }
        return index;
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
