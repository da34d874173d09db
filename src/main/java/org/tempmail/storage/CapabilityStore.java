package org.tempmail.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tempmail.config.DatabaseSettings;

/**
 * The capability addresses in the configured database. Every call reads or writes the database itself, so a
 * change made by one process is seen by the next call of another. Thread-safe.
 */
public final class CapabilityStore implements AutoCloseable {
    /** Queue ids are remembered this long; Postfix gives up on a message after 5 days by default. */
    static final Duration COUNTED_RETENTION = Duration.ofDays(30);

    private static final String COLUMNS = "c.local_part, c.domain, c.enabled, c.target, c.note, c.created, "
            + "c.expires, c.first_sender, c.first_seen, c.last_seen, c.message_count, o.name, o.maildrop, o.enabled";
    private static final String FROM = " FROM capability c LEFT JOIN owner o ON o.id = c.owner_id";

    private final Database database;
    private final OwnerStore owners;

    private CapabilityStore(Database database) {
        this.database = database;
        this.owners = new OwnerStore(database);
    }

    /** The owners kept in the same database, on the same connections. */
    public OwnerStore owners() {
        return owners;
    }

    /**
     * A warning when DATABASE is an SQLite file other users may read: it holds the owners' secrets, with which
     * anyone could make their addresses. Empty for PostgreSQL (its roles decide) and when the file is absent.
     */
    public Optional<String> exposure() {
        return database.exposure();
    }

    /** A store on the configured database; nothing is opened or created until the first call. */
    public static CapabilityStore open(DatabaseSettings settings) {
        return new CapabilityStore(new Database(settings));
    }

    public String describe() {
        return database.describe();
    }

    /**
     * Creates the database and its tables where there are none ({@code tempmail init}); the one way a database
     * comes to exist. Nothing else creates one, so that a database that went missing is never replaced by an empty
     * one in which every address is unknown.
     *
     * @return what it found or did, for the administrator
     */
    public String initialise() throws StoreException {
        int found = database.initialise();
        if (found == 0) {
            return "created the capability database " + database.where() + ", schema version "
                    + Migrations.latestVersion();
        }
        if (found < Migrations.latestVersion()) {
            return "upgraded the capability database " + database.where() + " from schema version " + found
                    + " to " + Migrations.latestVersion();
        }
        return "the capability database " + database.where() + " is initialised already (schema version "
                + found + "); nothing changed";
    }

    /**
     * Checks that the expected database is there with its tables, as {@code serve} does when it starts; does
     * nothing when DATABASE is not set and there is no database.
     */
    public void verify() throws StoreException {
        if (database.absentDefault()) {
            return;
        }
        database.with(connection -> {
            try (PreparedStatement probe = connection.prepareStatement("SELECT 1 FROM capability LIMIT 1");
                    ResultSet ignored = probe.executeQuery()) {
                return null;
            }
        });
    }

    /** The address with this local part (any case) and domain, enabled or not. */
    public Optional<Capability> find(String localPart, String domain) throws StoreException {
        if (database.absentDefault()) {
            return Optional.empty();
        }
        return database.with(connection -> find(connection, localPart, domain));
    }

    /** Stores a new address; its local part must not exist in its domain yet, in any case. */
    public Capability create(NewCapability address) throws StoreException {
        try {
            return database.inTransaction(connection -> {
                if (find(connection, address.localPart(), address.domain()).isPresent()) {
                    throw new DuplicateAddressException(address.address());
                }
                Optional<Long> ownerId = Optional.empty();
                if (address.owner().isPresent()) {
                    ownerId = Optional.of(OwnerStore.find(connection, address.owner().get())
                            .orElseThrow(() -> new NoSuchOwnerException(address.owner().get())).id());
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO capability (local_part, "
                        + "local_part_key, domain, enabled, target, note, created, expires, owner_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    insert.setString(1, address.localPart());
                    insert.setString(2, Addresses.key(address.localPart()));
                    insert.setString(3, Addresses.domain(address.domain()));
                    insert.setBoolean(4, address.enabled());
                    setOptional(insert, 5, address.target());
                    insert.setString(6, address.note());
                    insert.setLong(7, address.created().toEpochMilli());
                    setOptionalInstant(insert, 8, address.expires());
                    if (ownerId.isPresent()) {
                        insert.setLong(9, ownerId.get());
                    } else {
                        insert.setNull(9, Types.BIGINT);
                    }
                    insert.executeUpdate();
                }
                return find(connection, address.localPart(), address.domain()).orElseThrow();
            });
        } catch (StoreException e) {
            if (e.getCause() instanceof SQLException sql && isUniqueViolation(sql)) {
                throw new DuplicateAddressException(address.address());
            }
            throw e;
        }
    }

    /** Addresses newest first; without {@code all} only those that accept mail at the given instant. */
    public List<Capability> list(boolean all, Instant at) throws StoreException {
        return list(all, at, Optional.empty());
    }

    /** The same, of one owner only when {@code owner} names one. */
    public List<Capability> list(boolean all, Instant at, Optional<String> owner) throws StoreException {
        if (database.absentDefault()) {
            return List.of();
        }
        List<Capability> everything = database.with(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + FROM
                    + (owner.isPresent() ? " WHERE o.name = ?" : "") + " ORDER BY c.created DESC, c.id DESC")) {
                if (owner.isPresent()) {
                    select.setString(1, owner.get());
                }
                return readAll(select);
            }
        });
        return all ? everything : everything.stream().filter(c -> c.acceptsAt(at)).toList();
    }

    /** Addresses whose note contains the text, ignoring case, newest first. */
    public List<Capability> search(String text) throws StoreException {
        String wanted = text.toLowerCase(Locale.ROOT);
        // Filtered here rather than with SQL LIKE: SQLite and PostgreSQL disagree on case outside ASCII.
        return list(true, Instant.EPOCH).stream()
                .filter(c -> c.note().toLowerCase(Locale.ROOT).contains(wanted))
                .toList();
    }

    /** Enables or disables an address, optionally replacing its note; empty when there is no such address. */
    public Optional<Capability> setEnabled(String localPart, String domain, boolean enabled, Optional<String> note)
            throws StoreException {
        if (database.absentDefault()) {
            return Optional.empty();
        }
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE capability SET enabled = ?, "
                    + "note = COALESCE(?, note) WHERE domain = ? AND local_part_key = ?")) {
                update.setBoolean(1, enabled);
                setOptional(update, 2, note);
                update.setString(3, Addresses.domain(domain));
                update.setString(4, Addresses.key(localPart));
                if (update.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return find(connection, localPart, domain);
        });
    }

    /**
     * Records one delivery to an address: the count, first and last seen, and the first sender (the null sender
     * does not count as one). A queue id already recorded for this address is not counted again, so a retried
     * delivery leaves the figures alone. Empty when there is no such address.
     */
    public Optional<Sighting> recordDelivery(String localPart, String domain, Optional<String> queueId,
            String sender, Instant at) throws StoreException {
        Optional<String> realSender = Optional.of(sender).filter(s -> !s.isEmpty());
        return database.inTransaction(connection -> {
            long id;
            Optional<String> firstSender;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, first_sender FROM capability WHERE domain = ? AND local_part_key = ?")) {
                select.setString(1, Addresses.domain(domain));
                select.setString(2, Addresses.key(localPart));
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    id = row.getLong(1);
                    firstSender = Optional.ofNullable(row.getString(2));
                }
            }
            boolean counted = true;
            if (queueId.isPresent()) {
                try (PreparedStatement remember = connection.prepareStatement("INSERT INTO counted_message "
                        + "(capability_id, queue_id, counted) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
                    remember.setLong(1, id);
                    remember.setString(2, queueId.get());
                    remember.setLong(3, at.toEpochMilli());
                    counted = remember.executeUpdate() == 1;
                }
                try (PreparedStatement forget = connection.prepareStatement(
                        "DELETE FROM counted_message WHERE counted < ?")) {
                    forget.setLong(1, at.minus(COUNTED_RETENTION).toEpochMilli());
                    forget.executeUpdate();
                }
            }
            if (counted) {
                try (PreparedStatement update = connection.prepareStatement("UPDATE capability SET "
                        + "message_count = message_count + 1, first_seen = COALESCE(first_seen, ?), last_seen = ?, "
                        + "first_sender = COALESCE(first_sender, ?) WHERE id = ?")) {
                    update.setLong(1, at.toEpochMilli());
                    update.setLong(2, at.toEpochMilli());
                    setOptional(update, 3, realSender);
                    update.setLong(4, id);
                    update.executeUpdate();
                }
            }
            return Optional.of(new Sighting(firstSender.or(() -> realSender), counted));
        });
    }

    @Override
    public void close() {
        database.close();
    }

    private static Optional<Capability> find(Connection connection, String localPart, String domain)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + FROM + " WHERE c.domain = ? AND c.local_part_key = ?")) {
            select.setString(1, Addresses.domain(domain));
            select.setString(2, Addresses.key(localPart));
            List<Capability> rows = readAll(select);
            return rows.stream().findFirst();
        }
    }

    private static List<Capability> readAll(PreparedStatement select) throws SQLException {
        List<Capability> result = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                result.add(new Capability(
                        row.getString(1),
                        row.getString(2),
                        row.getBoolean(3),
                        Optional.ofNullable(row.getString(4)),
                        row.getString(5),
                        Instant.ofEpochMilli(row.getLong(6)),
                        instant(row, 7),
                        Optional.ofNullable(row.getString(8)),
                        instant(row, 9),
                        instant(row, 10),
                        row.getLong(11),
                        holder(row)));
            }
        }
        return result;
    }

    private static Optional<Capability.Holder> holder(ResultSet row) throws SQLException {
        String name = row.getString(12);
        return name == null ? Optional.empty()
                : Optional.of(new Capability.Holder(name, row.getString(13), row.getBoolean(14)));
    }

    private static Optional<Instant> instant(ResultSet row, int column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static void setOptional(PreparedStatement statement, int index, Optional<String> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setString(index, value.get());
        } else {
            statement.setNull(index, Types.VARCHAR);
        }
    }

    private static void setOptionalInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static boolean isUniqueViolation(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return "23505".equals(e.getSQLState()) || message.contains("UNIQUE constraint failed");
    }
}
