package org.tempmail.storage;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The owners in the configured database, on the connections of the capability store it belongs to. Every change
 * counts up owner_version in the same transaction, so a server that reads {@link #version()} sees each change
 * of owners without reading them. Thread-safe.
 */
public final class OwnerStore {
    /** Random bytes in a secret: as strong as the 32 bytes the install guide puts in SHARED_SECRET_FILE. */
    public static final int SECRET_BYTES = 32;
    /**
     * How long the id of a removed owner is kept for servers that read only the changes since their version. A
     * server further behind (its store unreadable for longer) reads every owner again; so does one that starts.
     */
    public static final Duration REMOVALS_KEPT = Duration.ofDays(7);

    private static final String COLUMNS = "id, name, maildrop, secret, previous_secret, previous_last_day, domain, "
            + "valid_days, enabled, created";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Database database;

    OwnerStore(Database database) {
        this.database = database;
    }

    /**
     * A new secret: {@link #SECRET_BYTES} random bytes in unpadded base64url, so that it can be written into
     * SHARED_SECRET or a web page as it is; its text is the key, as SHARED_SECRET's is.
     */
    static String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Stores a new owner with a new secret; the name must be new. */
    public Owner add(NewOwner owner) throws StoreException {
        return addAll(List.of(owner)).get(0);
    }

    /** Stores several owners in one transaction: all of them, or none when one fails. */
    public List<Owner> addAll(List<NewOwner> owners) throws StoreException {
        try {
            return database.inTransaction(connection -> {
                List<Owner> added = new ArrayList<>(owners.size());
                long version = countChange(connection);
                for (NewOwner owner : owners) {
                    if (find(connection, owner.name()).isPresent()) {
                        throw new DuplicateOwnerException(owner.name());
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO owner (name, maildrop, "
                            + "secret, domain, valid_days, enabled, created, changed) "
                            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                        insert.setString(1, owner.name());
                        insert.setString(2, owner.maildrop());
                        insert.setString(3, newSecret());
                        if (owner.domain().isPresent()) {
                            insert.setString(4, Addresses.domain(owner.domain().get()));
                        } else {
                            insert.setNull(4, Types.VARCHAR);
                        }
                        if (owner.validDays().isPresent()) {
                            insert.setInt(5, owner.validDays().getAsInt());
                        } else {
                            insert.setNull(5, Types.INTEGER);
                        }
                        insert.setBoolean(6, true);
                        insert.setLong(7, owner.created().toEpochMilli());
                        insert.setLong(8, version);
                        insert.executeUpdate();
                    }
                    added.add(find(connection, owner.name()).orElseThrow());
                }
                return added;
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())
                    || String.valueOf(e.getMessage()).contains("UNIQUE constraint failed")) {
                throw new StoreException("another process added one of these owners meanwhile; nothing was added",
                        e);
            }
            throw e;
        }
    }

    /** Every owner, by name. */
    public List<Owner> list() throws StoreException {
        if (database.absentDefault()) {
            return List.of();
        }
        return database.with(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM owner ORDER BY name")) {
                return readAll(select);
            }
        });
    }

    public Optional<Owner> find(String name) throws StoreException {
        if (database.absentDefault()) {
            return Optional.empty();
        }
        return database.with(connection -> find(connection, name));
    }

    /** The owner, or a NoSuchOwnerException that says how to find the names. */
    public Owner get(String name) throws StoreException {
        return find(name).orElseThrow(() -> new NoSuchOwnerException(name));
    }

    public Owner setEnabled(String name, boolean enabled) throws StoreException {
        return database.inTransaction(connection -> {
            long version = countChange(connection);
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE owner SET enabled = ?, changed = ? WHERE name = ?")) {
                update.setBoolean(1, enabled);
                update.setLong(2, version);
                update.setString(3, name);
                if (update.executeUpdate() == 0) {
                    throw new NoSuchOwnerException(name);
                }
            }
            return find(connection, name).orElseThrow();
        });
    }

    /**
     * A new secret for the owner; the one it replaces goes on making valid addresses for the days up to
     * {@code lastDayOfOld}, so that those handed out run out by themselves. A secret rotated out before is
     * forgotten.
     */
    public Owner rotateSecret(String name, LocalDate lastDayOfOld) throws StoreException {
        return database.inTransaction(connection -> {
            long version = countChange(connection);
            try (PreparedStatement update = connection.prepareStatement("UPDATE owner SET previous_secret = secret, "
                    + "previous_last_day = ?, secret = ?, changed = ? WHERE name = ?")) {
                update.setLong(1, lastDayOfOld.toEpochDay());
                update.setString(2, newSecret());
                update.setLong(3, version);
                update.setString(4, name);
                if (update.executeUpdate() == 0) {
                    throw new NoSuchOwnerException(name);
                }
            }
            return find(connection, name).orElseThrow();
        });
    }

    /**
     * Removes the owner and its capability addresses with their counts, at {@code now}; forgets the ids of owners
     * removed more than {@link #REMOVALS_KEPT} before.
     *
     * @return how many capability addresses went with it
     */
    public int remove(String name, Instant now) throws StoreException {
        return database.inTransaction(connection -> {
            long id = find(connection, name).orElseThrow(() -> new NoSuchOwnerException(name)).id();
            try (PreparedStatement counted = connection.prepareStatement("DELETE FROM counted_message WHERE "
                    + "capability_id IN (SELECT id FROM capability WHERE owner_id = ?)")) {
                counted.setLong(1, id);
                counted.executeUpdate();
            }
            int capabilities;
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM capability WHERE owner_id = ?")) {
                delete.setLong(1, id);
                capabilities = delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM owner WHERE id = ?")) {
                delete.setLong(1, id);
                delete.executeUpdate();
            }
            try (PreparedStatement removed = connection.prepareStatement(
                    "INSERT INTO owner_removed (owner_id, version, removed) VALUES (?, ?, ?)")) {
                removed.setLong(1, id);
                removed.setLong(2, countChange(connection));
                removed.setLong(3, now.toEpochMilli());
                removed.executeUpdate();
            }
            pruneRemovals(connection, now.minus(REMOVALS_KEPT));
            return capabilities;
        });
    }

    /** Deletes the removals from before {@code horizon}, recording the newest version deleted. */
    private static void pruneRemovals(Connection connection, Instant horizon) throws SQLException {
        long newest;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT MAX(version) FROM owner_removed WHERE removed IS NULL OR removed < ?")) {
            select.setLong(1, horizon.toEpochMilli());
            try (ResultSet row = select.executeQuery()) {
                row.next();
                newest = row.getLong(1);
                if (row.wasNull()) {
                    return;
                }
            }
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE owner_version SET pruned_through = ? WHERE singleton = 1 AND pruned_through < ?")) {
            update.setLong(1, newest);
            update.setLong(2, newest);
            update.executeUpdate();
        }
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM owner_removed WHERE version <= ?")) {
            delete.setLong(1, newest);
            delete.executeUpdate();
        }
    }

    /** Counts up with every change of owners: one row, read cheaply and often by a server. */
    public long version() throws StoreException {
        if (database.absentDefault()) {
            return 0;
        }
        return database.with(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT version FROM owner_version WHERE singleton = 1");
                    ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : 0L;
            }
        });
    }

    public String describe() {
        return database.describe();
    }

    /**
     * What changed after {@code version}: the owners added or changed and the ids of those removed since. Read
     * without a transaction, so it may include changes made while it reads; applying them again is harmless.
     * Apply the removals first: an id SQLite gives again after a removal comes back among the changed.
     * {@code everyOwner}: the removals since were pruned, so {@code changed} is every owner and
     * {@code removed} is empty: forget the owners read before.
     */
    public record Changes(long version, List<Owner> changed, List<Long> removed, boolean everyOwner) {
    }

    /** The changes after {@code version}; the version to ask from next time is {@link Changes#version()}. */
    public Changes changesSince(long version) throws StoreException {
        if (database.absentDefault()) {
            return new Changes(0, List.of(), List.of(), false);
        }
        long now = version();
        return database.with(connection -> {
            List<Owner> changed;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM owner WHERE changed > ?")) {
                select.setLong(1, version);
                changed = readAll(select);
            }
            List<Long> removed = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT owner_id FROM owner_removed WHERE version > ?")) {
                select.setLong(1, version);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        removed.add(row.getLong(1));
                    }
                }
            }
            // Read after the removals: a pruning that deleted some of them meanwhile shows here.
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT pruned_through FROM owner_version WHERE singleton = 1");
                    ResultSet row = select.executeQuery()) {
                if (row.next() && row.getLong(1) > version) {
                    try (PreparedStatement all = connection.prepareStatement("SELECT " + COLUMNS + " FROM owner")) {
                        return new Changes(now, readAll(all), List.of(), true);
                    }
                }
            }
            return new Changes(now, changed, removed, false);
        });
    }

    /** Counts a change; returns the new version, which the changed rows record. */
    private static long countChange(Connection connection) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE owner_version SET version = version + 1 WHERE singleton = 1")) {
            update.executeUpdate();
        }
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT version FROM owner_version WHERE singleton = 1");
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    static Optional<Owner> find(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM owner WHERE name = ?")) {
            select.setString(1, name);
            return readAll(select).stream().findFirst();
        }
    }

    private static List<Owner> readAll(PreparedStatement select) throws SQLException {
        List<Owner> result = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                long lastDay = row.getLong(6);
                Optional<LocalDate> previousLastDay = row.wasNull() ? Optional.empty()
                        : Optional.of(LocalDate.ofEpochDay(lastDay));
                int validDays = row.getInt(8);
                OptionalInt days = row.wasNull() ? OptionalInt.empty() : OptionalInt.of(validDays);
                result.add(new Owner(row.getLong(1), row.getString(2), row.getString(3), row.getString(4),
                        Optional.ofNullable(row.getString(5)), previousLastDay, Optional.ofNullable(row.getString(7)),
                        days, row.getBoolean(9), Instant.ofEpochMilli(row.getLong(10))));
            }
        }
        return result;
    }
}
